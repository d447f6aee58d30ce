/**
 * The domain vocabulary (领域词汇): every closed set of words the governance domain uses, as constant lists with
 * their types. Zod schemas, the database types (src/db/schema.ts) and the SQL filters all derive from these lists,
 * so a word is added in one place. The Chinese term is beside each one; docs/glossary.md explains them.
 */

/** Levels of the governed tree: 区县 → 镇街 → 社区/村 → 网格 → 微网格. */
export const NODE_LEVELS = ['district', 'town', 'community', 'grid', 'microgrid'] as const;
export type NodeLevel = (typeof NODE_LEVELS)[number];

/** Kinds of grid: residential (综合网格) and the dedicated ones (专属网格) for shops, institutions, schools, medical. */
export const GRID_KINDS = ['residential', 'shops', 'institutions', 'schools', 'medical'] as const;
export type GridKind = (typeof GRID_KINDS)[number];

/** Estate types: 物业小区, 自管小区, 安置小区, 过渡安置. */
export const ESTATE_TYPES = ['property_managed', 'self_governed', 'resettlement', 'transitional'] as const;
export type EstateType = (typeof ESTATE_TYPES)[number];

/** The four boards of the governance centre (四大板块): 党的建设, 经济发展, 民生服务, 平安法治. */
export const BOARD_KINDS = ['party_building', 'economy', 'livelihood', 'safety_law'] as const;
export type BoardKind = (typeof BOARD_KINDS)[number];

/** Joint-duty posts (联勤联动): 派出所, 市场监管所, 司法所, 税务所, 交巡警, 消防, 卫生服务中心. */
export const JOINT_DUTY_TYPES = ['police_station', 'market_supervision', 'judicial', 'tax', 'traffic_police', 'fire', 'health_centre'] as const;
export type JointDutyType = (typeof JOINT_DUTY_TYPES)[number];

/** Chat platforms an online grid (线上网格) lives on. */
export const PLATFORMS = ['wecom', 'wechat', 'dingtalk', 'webhook'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Roles (角色), each scoped to a node of the tree or to a department, post or building. */
export const ROLES = [
  'admin', 'centre_operator', 'board_lead', 'post_handler', 'department_handler', 'community_staff',
  'grid_chief', 'grid_worker', 'building_head', 'unit_head', 'volunteer', 'mediator', 'merchant', 'resident',
] as const;
export type Role = (typeof ROLES)[number];

/**
 * Statuses of a matter (事件) on the closed loop: reported 上报 → registered 立案 → dispatched 派遣 → handling 处置 →
 * handled 处置完毕 → feedback 反馈 → closed 结案; suspended 挂起 stops the clock; merged 合并 and rejected 不予立案 end it.
 */
export const MATTER_STATUSES = ['reported', 'registered', 'dispatched', 'handling', 'handled', 'feedback', 'closed', 'suspended', 'merged', 'rejected'] as const;
export type MatterStatus = (typeof MATTER_STATUSES)[number];

/** Where a matter came from (来源): 群消息, 走访, 巡查, 居民上报, 热线, 感知设备, 专项巡检. */
export const MATTER_SOURCES = ['group_message', 'visit', 'patrol', 'resident_report', 'hotline', 'sensor', 'inspection', 'deliberation'] as const;
export type MatterSource = (typeof MATTER_SOURCES)[number];

/** The channel a step was taken through (渠道). */
export const CHANNELS = ['web', 'phone', 'api', 'group', 'system'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The level that owns a matter (办理层级): 网格, 社区, 镇街, 区县. */
export const MATTER_LEVELS = ['grid', 'community', 'town', 'district'] as const;
export type MatterLevel = (typeof MATTER_LEVELS)[number];

/** Units of a deadline (办理时限): natural or working hours and days. */
export const DEADLINE_UNITS = ['natural_hours', 'natural_days', 'working_hours', 'working_days'] as const;
export type DeadlineUnit = (typeof DEADLINE_UNITS)[number];

/**
 * Kinds of danger to life or safety that make a group message urgent (紧急), each alerting at once: 火情 (fire, smoke),
 * 燃气 (gas), 汛情溺水 (flood, drowning danger), 被困 (trapped: lifts, rooms), 坠物倒塌 (falling objects, structures about
 * to fall), 暴力斗殴 (violence), 走失 (missing people), 伤病急救 (medical emergencies), 诈骗 (fraud in progress).
 */
export const URGENT_KINDS = ['fire', 'gas', 'flood', 'trapped', 'falling', 'fight', 'missing', 'medical', 'fraud'] as const;
export type UrgentKind = (typeof URGENT_KINDS)[number];
/** The Chinese word for each, for texts people read (notices, messages posted back). */
export const URGENT_KIND_NAMES: Record<UrgentKind, string> = {
  fire: '火情', gas: '燃气', flood: '汛情溺水', trapped: '被困', falling: '坠物倒塌', fight: '暴力斗殴', missing: '走失', medical: '伤病急救', fraud: '诈骗',
};

/** How far a matter reaches (影响范围): one household, shared parts of a building, public space. */
export const MATTER_SCOPES = ['household', 'shared', 'public'] as const;
export type MatterScope = (typeof MATTER_SCOPES)[number];

/** How hard a matter is (复杂程度). */
export const COMPLEXITIES = ['simple', 'general', 'complex'] as const;
export type Complexity = (typeof COMPLEXITIES)[number];

/** A reporter's rating (评价): 满意, 基本满意, 不满意. */
export const SATISFACTIONS = ['satisfied', 'basically', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

// ---- named sets of matter statuses: every filter, count and partial index uses these, never its own list ----

/** Finished (已办结/终止): the loop has ended; nothing more happens unless a closed matter is reopened. */
export const FINISHED_STATUSES = ['closed', 'merged', 'rejected'] as const satisfies readonly MatterStatus[];

/** Open (未办结): every status that is not finished, suspended and not-yet-registered included. */
export const OPEN_STATUSES = MATTER_STATUSES.filter((s) => !(FINISHED_STATUSES as readonly string[]).includes(s)) as readonly MatterStatus[];

/**
 * On the clock (计时中): the handler's deadline runs. Handing the work in (handled) stops it, as does a suspension;
 * a matter is overdue only while on the clock.
 */
export const ON_THE_CLOCK_STATUSES = ['registered', 'dispatched', 'handling'] as const satisfies readonly MatterStatus[];

/** With a handler at work (办理中): the deadline jobs remind and mark overdue only in these. */
export const WORKING_STATUSES = ['dispatched', 'handling'] as const satisfies readonly MatterStatus[];

/** Verified (已核查): the result has been checked and may be told — to the reporter, the public page and the group. */
export const VERIFIED_STATUSES = ['feedback', 'closed'] as const satisfies readonly MatterStatus[];

export const isFinished = (status: MatterStatus): boolean => (FINISHED_STATUSES as readonly MatterStatus[]).includes(status);
export const isOnTheClock = (status: MatterStatus): boolean => (ON_THE_CLOCK_STATUSES as readonly MatterStatus[]).includes(status);

/**
 * Overdue (超期): on the clock, and past its due time or marked overdue by its deadline job (which runs at the due
 * time by the job clock, so the mark also holds where "now" is a replayed clock). Once the work is handed in,
 * suspended or finished, a matter is no longer overdue; whether it closed on time is `closed_on_time`. The SQL
 * filter for the same set is built from ON_THE_CLOCK_STATUSES in src/modules/matters/matters.repository.ts.
 */
export function isOverdue(m: { status: MatterStatus; due_at: Date | null; overdue: boolean }, now: Date): boolean {
  return isOnTheClock(m.status) && (m.overdue || (m.due_at !== null && m.due_at < now));
}

/** What a drawn map feature is (map_features.kind): named roads, rivers, parks and landmarks that orient a reader. */
export const MAP_FEATURE_KINDS = ['main_road', 'road', 'river', 'park', 'landmark'] as const;
export type MapFeatureKind = (typeof MAP_FEATURE_KINDS)[number];

// ---- deliberation (议事协商) ----

/** What a topic's voters are (议题范围): the residents of one grid, of one estate (小区) in a community, or of a community. */
export const TOPIC_SCOPES = ['grid', 'estate', 'community'] as const;
export type TopicScope = (typeof TOPIC_SCOPES)[number];

/**
 * A topic's stages (议题阶段): collecting support (征集) → deliberating (协商, plans and meetings) → voting (表决) →
 * decided (已决议) or rejected (未通过) → implementing (实施中) → completed (已建成). A topic that misses its support
 * threshold by the expiry is expired (已过期); a duplicate is merged (已合并) into another.
 */
export const TOPIC_STAGES = ['collecting', 'deliberating', 'voting', 'decided', 'rejected', 'implementing', 'completed', 'expired', 'merged'] as const;
export type TopicStage = (typeof TOPIC_STAGES)[number];

/** Where a topic came from (议题来源): a resident's phone page, staff, a group message, a matter. */
export const TOPIC_ORIGINS = ['resident', 'staff', 'group_message', 'matter'] as const;
export type TopicOrigin = (typeof TOPIC_ORIGINS)[number];

/** How a topic is decided (表决方式): approve or reject (赞成/反对), choose one plan (选方案), ranked choice (排序投票). */
export const DECISION_TYPES = ['approve', 'choose', 'ranked'] as const;
export type DecisionType = (typeof DECISION_TYPES)[number];

/** The majority a decision needs (通过比例): more than half (过半数), two thirds (三分之二), three quarters (四分之三). */
export const MAJORITY_RULES = ['simple', 'two_thirds', 'three_quarters'] as const;
export type MajorityRule = (typeof MAJORITY_RULES)[number];

/** How a vote reached the register (投票渠道): the phone page, recorded at a meeting (举手/票决), a paper ballot entered later. */
export const VOTE_CHANNELS = ['phone', 'meeting', 'paper'] as const;
export type VoteChannel = (typeof VOTE_CHANNELS)[number];

/** An approve/reject ballot (赞成、反对、弃权). */
export const APPROVALS = ['yes', 'no', 'abstain'] as const;
export type Approval = (typeof APPROVALS)[number];

/** What is pledged toward a plan (众筹): money in yuan (资金), labour in hours (出工), materials (物料). */
export const PLEDGE_KINDS = ['money', 'labour', 'materials'] as const;
export type PledgeKind = (typeof PLEDGE_KINDS)[number];

/** A pledge's life (认捐状态): pledged (已认捐) → delivered (已兑现, confirmed by staff) or cancelled (已取消). */
export const PLEDGE_STATES = ['pledged', 'delivered', 'cancelled'] as const;
export type PledgeState = (typeof PLEDGE_STATES)[number];

/**
 * Meeting kinds (议事会): online in the group (线上议事), a round table at a grid station (圆桌会), a neighbourhood
 * meeting (网格邻里会), a community review meeting (社区评议会).
 */
export const MEETING_KINDS = ['online', 'round_table', 'neighbourhood', 'review'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

/** A meeting's life: planned (已安排) → open (进行中, attendance taken) → closed (已结束, minutes kept). */
export const MEETING_STATES = ['planned', 'open', 'closed'] as const;
export type MeetingState = (typeof MEETING_STATES)[number];

/** How someone's attendance was taken (签到方式): the meeting's code typed, its QR scanned, recorded by staff. */
export const ATTENDANCE_VIAS = ['code', 'qr', 'staff'] as const;
export type AttendanceVia = (typeof ATTENDANCE_VIAS)[number];

/** 三事分流: a pending item is a family matter (家事, the household's own), a shared one (共事, the estate's) or public (公事, the street's). */
export const ITEM_KINDS = ['family', 'shared', 'public'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** A pending item's state in the work log (工作日志): open (待落实), doing (推进中), done (已落实), dropped (不再推进). */
export const ITEM_STATES = ['open', 'doing', 'done', 'dropped'] as const;
export type ItemState = (typeof ITEM_STATES)[number];

/** An implementation project's photos (实施照片): before (施工前), progress (施工中), after (建成后). */
export const PROJECT_PHOTO_STAGES = ['before', 'progress', 'after'] as const;
export type ProjectPhotoStage = (typeof PROJECT_PHOTO_STAGES)[number];

/** The brands of grid stations' deliberation rooms (议事品牌) the seeds name; a station may carry its own. */
export const STATION_BRANDS = ['连心桥', '一家亲', '小院+', '缘心圆', '万有引力'] as const;

// ---- points (德分宝) and the merchant alliance (德商联盟) ----
/** Ledger accounts: one per resident and per merchant, and the scheme's system accounts. */
export const POINT_ACCOUNT_KINDS = ['resident', 'merchant', 'issuance', 'expiry', 'settlement'] as const;
export type PointAccountKind = (typeof POINT_ACCOUNT_KINDS)[number];
/** System accounts (系统账户): issuance is where earned points come from (its balance is minus everything issued). */
export const SYSTEM_ACCOUNT_KINDS = ['issuance', 'expiry', 'settlement'] as const;
/** What a transfer is: earned (积分发放), redeemed at a merchant (兑换), expired (过期), a reversal (冲正), an adjustment, a merchant's settlement (结算). */
export const TRANSFER_KINDS = ['earn', 'redeem', 'expire', 'reverse', 'adjust', 'settle'] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];
/** A transfer is posted at once, or pending (a hold 冻结) until posted, voided or expired. */
export const TRANSFER_STATES = ['posted', 'pending', 'voided', 'expired'] as const;
export type TransferState = (typeof TRANSFER_STATES)[number];
/** The earning rules (积分规则) the scheme knows; their points and caps are data an administrator edits. */
export const EARN_RULES = ['daily_checkin', 'accepted_report', 'handled_in_group', 'deliberation_vote', 'deliberation_pledge', 'meeting_attendance', 'volunteer_hours'] as const;
export type EarnRule = (typeof EARN_RULES)[number];

/** A merchant of the alliance (德商联盟) is active, or suspended (暂停) by the community. */
export const MERCHANT_STATES = ['active', 'suspended'] as const;
export type MerchantState = (typeof MERCHANT_STATES)[number];
/** A redemption code (兑换码) holds points and stock until the merchant confirms (核销) or declines it, or it expires. */
export const REDEMPTION_STATES = ['pending', 'confirmed', 'declined', 'expired'] as const;
export type RedemptionState = (typeof REDEMPTION_STATES)[number];
/** Volunteer hours (志愿服务时长) wait for an approver who signs them off (审核) or turns them down. */
export const VOLUNTEER_STATES = ['pending', 'approved', 'rejected'] as const;
export type VolunteerState = (typeof VOLUNTEER_STATES)[number];
/**
 * What the scheme flags for review (异常): many redemptions at one merchant by one resident, a keeper redeeming at their
 * own shop, a resident's or a merchant's daily limit reached, wrong codes typed at a merchant, a failed reconciliation.
 */
export const POINT_FLAG_KINDS = ['repeat_merchant', 'self_dealing', 'resident_limit', 'merchant_limit', 'code_guessing', 'reconciliation'] as const;
export type PointFlagKind = (typeof POINT_FLAG_KINDS)[number];
/** A flag is open until a reviewer clears it (no problem) or upholds it (a problem, dealt with). */
export const FLAG_STATES = ['open', 'cleared', 'upheld'] as const;
export type FlagState = (typeof FLAG_STATES)[number];
