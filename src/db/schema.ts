import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { FeatureGeometry } from '../core/geo/features.ts';
import type { Boundary } from '../core/geo/geojson.schema.ts';
import type { TopicTally } from '../core/deliberation/tally.ts';
import type { SensingHints } from '../core/sensing/types.ts';
import type {
  BoardKind, Channel, Complexity, DeadlineUnit, EstateType, JointDutyType, MapFeatureKind, MatterLevel, MatterScope, MatterSource, MatterStatus, NodeLevel,
  Platform, Role, Satisfaction,
  Approval, AttendanceVia, DecisionType, ItemKind, ItemState, MajorityRule, MeetingKind, MeetingState, PledgeKind, PledgeState, ProjectPhotoStage,
  TopicOrigin, TopicScope, TopicStage, VoteChannel,
  EarnRule, FlagState, MerchantState, PointAccountKind, PointFlagKind, RedemptionState, TransferKind, TransferState, VolunteerState,
} from '../core/vocabulary.ts';

/** Timestamps: read as Date, written as Date or ISO string, defaulted by the database. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;


export interface MetaTable { key: string; value: string }

export interface NodesTable {
  id: Generated<number>;
  parent_id: number | null;
  level: NodeLevel;
  code: string;
  name: string;
  /** Materialised path of ids, '/1/4/17/', for subtree scope checks with a prefix match. */
  path: string;
  /** community|village for communities, town|street for towns, the grid kind for grids. */
  kind: string | null;
  estate_type: EstateType | null;
  estate_name: string | null;
  boundary: ColumnType<Boundary | null, string | null | undefined, string | null>;
  status: Generated<'active' | 'retired'>;
  retired_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BuildingsTable {
  id: Generated<number>;
  grid_id: number;
  name: string;
  address: Generated<string>;
  lng: number | null;
  lat: number | null;
  status: Generated<'active' | 'retired'>;
  created_at: Timestamp;
}

export interface UnitsTable { id: Generated<number>; building_id: number; name: string }

/** Named roads, rivers, parks and landmarks drawn on maps without tiles (GeoJSON in WGS-84). */
export interface MapFeaturesTable {
  id: Generated<number>;
  node_id: number;
  kind: MapFeatureKind;
  name: string;
  geometry: ColumnType<FeatureGeometry, string, string>;
  created_at: Timestamp;
}

export interface HouseholdsTable {
  id: Generated<number>;
  grid_id: number;
  building_id: number | null;
  unit_id: number | null;
  room: Generated<string>;
  population: Generated<number>;
  created_at: Timestamp;
}

export interface BoardsTable { id: Generated<number>; node_id: number; kind: BoardKind; name: string }
export interface PostsTable { id: Generated<number>; board_id: number; name: string }
export interface DepartmentsTable {
  id: Generated<number>;
  node_id: number;
  name: string;
  kind: 'joint_duty' | 'department';
  joint_duty_type: JointDutyType | null;
  board_id: number | null;
  status: Generated<'active' | 'retired'>;
}

export interface OnlineGroupsTable {
  id: Generated<number>;
  grid_id: number;
  platform: Platform;
  external_id: string;
  name: string;
  status: Generated<'active' | 'retired'>;
  created_at: Timestamp;
}


export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string | null;
  phone_hash: string | null;
  phone_enc: string | null;
  phone_masked: string | null;
  status: Generated<'active' | 'disabled'>;
  created_at: Timestamp;
}

export interface ResidentsTable {
  id: Generated<number>;
  grid_id: number;
  household_id: number | null;
  user_id: number | null;
  name: string;
  gender: 'M' | 'F' | null;
  birth_date: string | null;
  phone_hash: string | null;
  phone_enc: string | null;
  phone_masked: string | null;
  id_number_hash: string | null;
  id_number_enc: string | null;
  id_number_masked: string | null;
  status: Generated<'active' | 'moved_out' | 'deceased'>;
  created_at: Timestamp;
}

export interface RoleAssignmentsTable {
  id: Generated<number>;
  user_id: number;
  role: Role;
  node_id: number;
  board_id: number | null;
  post_id: number | null;
  department_id: number | null;
  building_id: number | null;
  unit_id: number | null;
  ab_slot: 'A' | 'B' | null;
  employment: 'full_time' | 'part_time' | null;
  created_at: Timestamp;
  ended_at: NullableTimestamp;
}

export interface SessionsTable {
  id: string;
  user_id: number;
  created_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

/** Password failures of one account (the name as typed, lower-cased) from one client address. */
export interface LoginAttemptsTable {
  account: string;
  address: string;
  failures: number;
  last_at: ColumnType<Date, Date | string, Date | string>;
}

/** Password failures of one account from all addresses within the window that began at window_start. */
export interface LoginWindowsTable {
  account: string;
  failures: number;
  window_start: ColumnType<Date, Date | string, Date | string>;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_user_id: number | null;
  action: string;
  subject_type: string;
  subject_id: string | null;
  ip: string | null;
  request_id: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
}

/** Uploaded photos; the row is written only after the content is safely on disk under its hash. */
export interface FilesTable {
  hash: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  uploaded_by: number | null;
  created_at: Timestamp;
}

export type Json = ColumnType<unknown, string | undefined, string>;

export interface CategoriesTable {
  id: Generated<number>;
  code: string;
  catalogue: 'city' | 'social';
  major: string;
  name: string;
  default_level: MatterLevel;
  scope: MatterScope;
  complexity: Complexity;
  lead_board: BoardKind | null;
  lead_post: string | null;
  lead_joint_duty: JointDutyType | null;
  assist_joint_duty: ColumnType<JointDutyType[], string | undefined, string>;
  deadline_amount: number;
  deadline_unit: DeadlineUnit;
  urgent: Generated<boolean>;
  keywords: ColumnType<string[], string | undefined, string>;
  status: Generated<'active' | 'retired'>;
}

export interface CalendarDaysTable { day: string; kind: 'holiday' | 'workday'; name: Generated<string> }

export interface MattersTable {
  id: Generated<number>;
  code: string;
  source: MatterSource;
  channel: Channel;
  title: string;
  description: string;
  category_id: number | null;
  grid_id: number | null;
  area_node_id: number;
  area_path: string;
  owner_node_id: number;
  owner_path: string;
  lng: number | null;
  lat: number | null;
  building_id: number | null;
  address: Generated<string>;
  reporter_resident_id: number | null;
  reporter_user_id: number | null;
  reporter_anonymous: Generated<boolean>;
  contact_name: string | null;
  contact_phone_hash: string | null;
  contact_phone_enc: string | null;
  contact_phone_masked: string | null;
  status: MatterStatus;
  suspended_from: MatterStatus | null;
  complexity: Complexity | null;
  scope: MatterScope | null;
  level: MatterLevel;
  lead_board_id: number | null;
  urgent: Generated<boolean>;
  due_at: NullableTimestamp;
  overdue: Generated<boolean>;
  reported_at: Timestamp;
  registered_at: NullableTimestamp;
  dispatched_at: NullableTimestamp;
  handled_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  closed_on_time: boolean | null;
  satisfaction: Satisfaction | null;
  rated_at: NullableTimestamp;
  reopen_count: Generated<number>;
  verify_fail_count: Generated<number>;
  suspension_count: Generated<number>;
  extension_count: Generated<number>;
  escalation_count: Generated<number>;
  possible_duplicate_of: number | null;
  merged_into_id: number | null;
  follows_id: number | null;
  /** The reporting client's idempotency key (uuid), unique when set. */
  client_id: string | null;
  /** The code of the public page (/r/m/<code>): 16 random base32 symbols in groups of four, made by the column default. */
  public_code: Generated<string>;
  /** The title may be shown in public: staff wrote it. Otherwise the public page shows the category. */
  title_public: Generated<boolean>;
  updated_at: Timestamp;
}

export interface MatterReportersTable { id: Generated<number>; matter_id: number; resident_id: number | null; user_id: number | null; from_matter_id: number | null }

export interface MatterAssignmentsTable {
  id: Generated<number>;
  matter_id: number;
  role: 'lead' | 'assist';
  target_kind: 'post' | 'department' | 'board' | 'node';
  target_id: number;
  target_name: string;
  node_id: number;
  status: 'pending' | 'accepted' | 'returned' | 'done' | 'cancelled';
  summoned: Generated<boolean>;
  due_at: NullableTimestamp;
  accepted_at: NullableTimestamp;
  done_at: NullableTimestamp;
  return_reason: string | null;
  created_by: number | null;
  created_at: Timestamp;
}

export interface MatterEventsTable {
  id: Generated<number>;
  matter_id: number;
  at: Timestamp;
  actor_user_id: number | null;
  actor_role: string | null;
  channel: Channel;
  action: string;
  status_before: MatterStatus | null;
  status_after: MatterStatus | null;
  note: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface MatterPhotosTable { id: Generated<number>; matter_id: number; event_id: number | null; file_hash: string; stage: 'report' | 'progress' | 'result'; created_at: Timestamp }

export interface MatterRequestsTable {
  id: Generated<number>;
  matter_id: number;
  assignment_id: number | null;
  kind: 'suspend' | 'extend';
  reason: string;
  extend_to: NullableTimestamp;
  status: Generated<'pending' | 'approved' | 'rejected'>;
  requested_by: number | null;
  requested_at: Timestamp;
  decided_by: number | null;
  decided_at: NullableTimestamp;
  decision_note: string | null;
}

export interface NoticesTable {
  id: Generated<number>;
  user_id: number | null;
  resident_id: number | null;
  matter_id: number | null;
  kind: string;
  body: string;
  created_at: Timestamp;
  read_at: NullableTimestamp;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  matter_id: number | null;
  payload: ColumnType<Record<string, unknown>, string | undefined, string>;
  run_at: ColumnType<Date, Date | string, Date | string>;
  status: Generated<'pending' | 'running' | 'done' | 'cancelled' | 'failed'>;
  attempts: Generated<number>;
  locked_by: string | null;
  locked_until: NullableTimestamp;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: Timestamp;
  done_at: NullableTimestamp;
}

export interface MatterCountsTable { node_id: number; day: string; source: string; category_id: number; level: string; status: string; n: number }

export interface MatterMetricsTable {
  subject: string;
  day: string;
  due: Generated<number>;
  closed: Generated<number>;
  closed_on_time: Generated<number>;
  handled: Generated<number>;
  reworked: Generated<number>;
  rated: Generated<number>;
  satisfied: Generated<number>;
  basically: Generated<number>;
  dissatisfied: Generated<number>;
  closes: Generated<number>;
  handling_seconds: Generated<number>;
  suspended: Generated<number>;
  extended: Generated<number>;
  escalated: Generated<number>;
}

export interface InspectionTasksTable {
  id: Generated<number>;
  node_id: number;
  title: string;
  description: Generated<string>;
  category_id: number | null;
  due_at: ColumnType<Date, Date | string, Date | string>;
  status: Generated<'open' | 'closed'>;
  created_by: number | null;
  created_at: Timestamp;
  urgent: Generated<boolean>;
  closed_at: NullableTimestamp;
  closed_by: number | null;
}

export interface InspectionPointsTable {
  id: Generated<number>;
  task_id: number;
  grid_id: number;
  grid_path: string;
  name: string;
  lng: number | null;
  lat: number | null;
  status: Generated<'pending' | 'normal' | 'abnormal'>;
  note: string | null;
  checked_at: NullableTimestamp;
  checked_by: number | null;
  matter_id: number | null;
}

// ---- online grid (0005) ----

export interface IntakeSourcesTable {
  id: Generated<number>;
  kind: 'wecom' | 'webhook';
  name: string;
  token: string | null;
  aes_key: string | null;
  corp_id: string | null;
  secret: string | null;
  status: Generated<'active' | 'disabled'>;
  created_at: Timestamp;
}

export interface GroupMembersTable {
  id: Generated<number>;
  group_id: number;
  external_user_id: string;
  display_name: string;
  resident_id: number | null;
  user_id: number | null;
  joined_at: Timestamp;
  left_at: NullableTimestamp;
}

export interface GroupMessagesTable {
  id: Generated<number>;
  source_id: number | null;
  via: 'wecom' | 'webhook' | 'forward';
  external_group_id: string;
  external_msg_id: string;
  group_id: number | null;
  grid_id: number | null;
  sender_external_id: string;
  sender_name: string;
  member_id: number | null;
  sent_at: ColumnType<Date, Date | string, Date | string>;
  received_at: Timestamp;
  text: string;
  attachments: ColumnType<Array<{ kind: string; url?: string; fileHash?: string; name?: string }>, string, string>;
  forwarded_by: number | null;
  actionable: Generated<boolean>;
  score: Generated<number>;
  category_code: string | null;
  urgency: Generated<'normal' | 'urgent'>;
  urgent_kind: string | null;
  hints: ColumnType<SensingHints, string | undefined, string>;
  /** Why the sensor said so: phrases that counted and the model's strongest features (感知依据). */
  why: ColumnType<string[], string | undefined, string>;
  state: Generated<'new' | 'held' | 'to_matter' | 'handled_in_group' | 'dismissed'>;
  matter_id: number | null;
  handled_note: string | null;
  handled_by: number | null;
  handled_at: NullableTimestamp;
  dedupe_key: string;
}

export interface SensingPhrasesTable {
  id: Generated<number>;
  kind: 'category' | 'urgent' | 'chatter' | 'landmark';
  category_code: string | null;
  urgent_kind: string | null;
  phrase: string;
  weight: Generated<number>;
  created_by: number | null;
  created_at: Timestamp;
}

// ---- sensing models (0014) ----
export type SensingLabelSource = 'to_matter' | 'handled_in_group' | 'dismissed' | 'category_corrected' | 'urgent_raised' | 'urgent_cleared';
export interface SensingLabelsTable {
  id: Generated<number>;
  message_id: number | null;
  text: string;
  actionable: boolean;
  urgent_kind: string | null;
  category_code: string | null;
  source: SensingLabelSource;
  decided_by: number | null;
  decided_at: ColumnType<Date, Date | string, Date | string>;
}

export interface SensingModelsTable {
  id: Generated<number>;
  version: number;
  status: 'candidate' | 'current' | 'retired' | 'rejected';
  engine: string;
  params: ColumnType<Record<string, unknown>, string | undefined, string>;
  training: ColumnType<Record<string, unknown>, string | undefined, string>;
  figures: ColumnType<Record<string, unknown>, string | undefined, string>;
  artifact: Uint8Array;
  reason: string | null;
  created_by: number | null;
  created_at: Timestamp;
  promoted_at: NullableTimestamp;
}

// ---- outbound (0006) ----
export interface OutboundTargetsTable {
  id: Generated<number>;
  group_id: number;
  kind: 'wecom_robot' | 'webhook';
  url: string;
  secret: string | null;
  status: Generated<'active' | 'disabled'>;
  created_at: Timestamp;
}

export interface BroadcastContentTable {
  id: Generated<number>;
  title: string;
  body: string;
  theme: string | null;
  status: Generated<'active' | 'retired'>;
  created_by: number | null;
  created_at: Timestamp;
}

export interface BroadcastPlansTable {
  id: Generated<number>;
  name: string;
  cadence: 'daily' | 'weekly';
  time_of_day: string;
  weekday: number | null;
  content_id: number | null;
  theme: string | null;
  node_id: number | null;
  group_ids: ColumnType<number[], number[] | undefined, number[]>;
  status: Generated<'active' | 'paused'>;
  next_run_at: NullableTimestamp;
  created_by: number | null;
  created_at: Timestamp;
}

export interface OutboundDeliveriesTable {
  id: Generated<number>;
  target_id: number | null;
  group_id: number;
  kind: 'matter_outcome' | 'broadcast' | 'alert';
  matter_id: number | null;
  plan_id: number | null;
  payload: ColumnType<unknown, string, string>;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  last_status: number | null;
  last_error: string | null;
  dedupe_key: string | null;
  attempt_log: ColumnType<DeliveryAttempt[], string | undefined, string>;
  next_attempt_at: NullableTimestamp;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
}

/** One try at sending a delivery: the HTTP status (null when no answer came) and what went wrong. */
export interface DeliveryAttempt { at: string; status: number | null; error: string | null; ms: number }

/** A household visit (走访) by a grid's staff. */
export interface VisitsTable { id: Generated<number>; grid_id: number; user_id: number; at: Timestamp; note: Generated<string>; client_id: string | null; created_at: Generated<Date> }
export interface VisitHouseholdsTable { visit_id: number; household_id: number }
export interface VisitPhotosTable { visit_id: number; file_hash: string; position: number }

/** A one-time code for signing in with a phone number: HMACs only, a few tries, a short life. */
export interface PhoneCodesTable {
  id: Generated<number>;
  phone_hash: string;
  code_hash: string;
  ip: string | null;
  attempts: Generated<number>;
  created_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  used_at: NullableTimestamp;
}

// ---- deliberation (议事协商) ----
export interface GridStationsTable { id: Generated<number>; node_id: number; name: string; brand: Generated<string>; address: Generated<string>; created_at: Generated<Date> }

export interface TopicsTable {
  id: Generated<number>;
  node_id: number;
  node_path: string;
  scope: TopicScope;
  estate_name: string | null;
  title: string;
  body: Generated<string>;
  origin: TopicOrigin;
  raised_by: number | null;
  raised_resident_id: number | null;
  message_id: number | null;
  matter_id: number | null;
  stage: TopicStage;
  support_threshold: Generated<number>;
  support_until: NullableTimestamp;
  supports: Generated<number>;
  decision_type: Generated<DecisionType>;
  quorum_percent: Generated<number>;
  majority: Generated<MajorityRule>;
  results_hidden: Generated<boolean>;
  vote_opens_at: NullableTimestamp;
  vote_closes_at: NullableTimestamp;
  eligible: number | null;
  tally: ColumnType<TopicTally | null, string | null | undefined, string | null>;
  outcome: string | null;
  review_on: string | null;
  decided_at: NullableTimestamp;
  decided_plan_id: number | null;
  hidden_reason: string | null;
  hidden_by: number | null;
  hidden_at: NullableTimestamp;
  merged_into: number | null;
  client_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface TopicSupportsTable { topic_id: number; resident_id: number; user_id: number | null; at: Timestamp }
export interface TopicEventsTable {
  id: Generated<number>; topic_id: number; action: string; user_id: number | null; note: Generated<string>;
  details: ColumnType<Record<string, unknown>, string | undefined, string>; at: Timestamp;
}
export interface TopicPlansTable {
  id: Generated<number>; topic_id: number; title: string; body: Generated<string>; cost_yuan: number | null;
  status: Generated<'proposed' | 'withdrawn' | 'chosen' | 'not_chosen'>; created_by: number | null; created_at: Timestamp; updated_at: Timestamp;
}
export interface PlanAuthorsTable { plan_id: number; user_id: number }
export interface PlanPhotosTable { plan_id: number; file_hash: string; position: number }
export interface PlanDepartmentsTable { plan_id: number; department_id: number }
export interface PlanAmendmentsTable {
  id: Generated<number>; plan_id: number; author_id: number; body: string; cost_yuan: number | null; old_body: string | null; old_cost_yuan: number | null;
  state: Generated<'proposed' | 'accepted' | 'rejected'>; decided_by: number | null; decided_at: NullableTimestamp; created_at: Timestamp;
}
export interface TopicCommentsTable {
  id: Generated<number>; topic_id: number; plan_id: number | null; parent_id: number | null; user_id: number | null; resident_id: number | null;
  message_id: number | null; author_name: string; real_name: 'resident' | 'staff' | 'none'; body: string;
  hidden_reason: string | null; hidden_by: number | null; created_at: Timestamp;
}
export interface PlanGoalsTable { id: Generated<number>; plan_id: number; kind: PledgeKind; label: string; unit: string; target: number; position: Generated<number> }
export interface PledgesTable {
  id: Generated<number>; goal_id: number; resident_id: number | null; organisation: string | null; recorded_by: number | null; amount: number;
  state: Generated<PledgeState>; note: Generated<string>; confirmed_by: number | null; confirmed_at: NullableTimestamp; client_id: string | null; at: Timestamp;
}
export interface DeliberationMeetingsTable {
  id: Generated<number>; node_id: number; node_path: string; topic_id: number | null; station_id: number | null; kind: MeetingKind; title: string;
  place: Generated<string>; starts_at: ColumnType<Date, Date | string, Date | string>; state: Generated<MeetingState>; checkin_code: string | null;
  /** Wrong codes typed against the current check-in code; at MAX_CHECKIN_FAILURES the code is void. */
  checkin_failures: Generated<number>;
  minutes: Generated<string>; created_by: number | null; opened_at: NullableTimestamp; closed_at: NullableTimestamp; created_at: Timestamp;
}
export interface MeetingAttendeesTable {
  id: Generated<number>; meeting_id: number; resident_id: number | null; user_id: number | null; name: string; via: AttendanceVia; recorded_by: number | null; at: Timestamp;
}
export interface PendingItemsTable {
  id: Generated<number>; node_id: number; node_path: string; title: string; kind: ItemKind; owner: Generated<string>; department_id: number | null;
  state: Generated<ItemState>; topic_id: number | null; matter_id: number | null; raised_at_meeting: number | null; created_by: number | null; created_at: Timestamp; updated_at: Timestamp;
}
export interface MeetingAgendaTable {
  id: Generated<number>; meeting_id: number; position: number; title: string; topic_id: number | null; item_id: number | null; outcome: Generated<string>; state_after: ItemState | null;
}
export interface TopicVotesTable {
  topic_id: number; resident_id: number; channel: VoteChannel; user_id: number | null; recorded_by: number | null; meeting_id: number | null;
  approval: Approval | null; plan_id: number | null; ranking: ColumnType<number[] | null, string | null, string | null>; at: Timestamp;
}
export interface DeliberationProjectsTable {
  id: Generated<number>; topic_id: number; plan_id: number | null; title: string; status: Generated<'running' | 'completed'>; started_at: Timestamp; completed_at: NullableTimestamp;
}
export interface ProjectDepartmentsTable { project_id: number; department_id: number }
export interface ProjectMilestonesTable {
  id: Generated<number>; project_id: number; position: number; title: string; weight: Generated<number>; progress: Generated<number>; due_on: string | null; done_at: NullableTimestamp;
}
export interface ProjectPhotosTable { project_id: number; file_hash: string; stage: ProjectPhotoStage; position: number }
export interface ProjectMattersTable { project_id: number; matter_id: number }

// ---- points (德分宝) ----
export interface PointAccountsTable {
  id: Generated<number>; kind: PointAccountKind; resident_id: number | null; merchant_id: number | null; balance: Generated<number>; held: Generated<number>; created_at: Timestamp;
}
export interface PointTransfersTable {
  id: Generated<number>; key: string; body_hash: string; kind: TransferKind; state: TransferState; debit_id: number; credit_id: number; amount: number;
  rule: EarnRule | null; reverses_id: number | null; expires_at: NullableTimestamp; note: Generated<string>; created_by: number | null;
  created_at: Timestamp; resolved_at: NullableTimestamp;
}
export interface PointEntriesTable { id: Generated<number>; transfer_id: number; account_id: number; delta: number; at: Timestamp }
export interface PointRulesTable {
  rule: EarnRule; points: number; daily_cap: Generated<number>; monthly_cap: Generated<number>; active: Generated<boolean>; updated_by: number | null; updated_at: Timestamp;
}
export interface MerchantsTable {
  id: Generated<number>; community_id: number; name: string; address: Generated<string>; description: Generated<string>; opens: Generated<string>; closes: Generated<string>;
  daily_points_cap: Generated<number>; state: Generated<MerchantState>; state_reason: Generated<string>; created_by: number | null; created_at: Timestamp; updated_at: Timestamp;
}
export interface MerchantKeepersTable { merchant_id: number; user_id: number; created_at: Timestamp }
export interface MerchantItemsTable {
  id: Generated<number>; merchant_id: number; name: string; description: Generated<string>; points: number; stock: number | null; active: Generated<boolean>;
  created_at: Timestamp; updated_at: Timestamp;
}
export interface RedemptionsTable {
  id: Generated<number>; code: string; request_key: string; resident_id: number; merchant_id: number; item_id: number; quantity: number; points: number; transfer_id: number;
  state: Generated<RedemptionState>; expires_at: ColumnType<Date, Date | string, Date | string>; created_at: Timestamp; resolved_at: NullableTimestamp; resolved_by: number | null;
  reason: Generated<string>;
}
export interface MerchantCodeMissesTable { id: Generated<number>; merchant_id: number; user_id: number | null; at: Timestamp }
export interface VolunteerHoursTable {
  id: Generated<number>; resident_id: number; activity: string; served_on: ColumnType<string, string, string>; minutes: number; state: Generated<VolunteerState>;
  recorded_by: number | null; decided_by: number | null; decided_at: NullableTimestamp; reason: Generated<string>; transfer_id: number | null; created_at: Timestamp;
}
export interface PointSchemeTable {
  id: number; lot_months: number | null; resident_daily_redemptions: Generated<number>; resident_daily_points: Generated<number>; repeat_window_days: Generated<number>;
  repeat_threshold: Generated<number>; updated_by: number | null; updated_at: Timestamp;
}
export interface PointFlagsTable {
  id: Generated<number>; kind: PointFlagKind; resident_id: number | null; merchant_id: number | null; redemption_id: number | null; dedupe_key: string;
  details: ColumnType<Record<string, unknown>, string | undefined, string>; state: Generated<FlagState>; reviewed_by: number | null; reviewed_at: NullableTimestamp;
  note: Generated<string>; created_at: Timestamp;
}
export interface PointReconciliationsTable {
  id: Generated<number>; ran_at: Timestamp; ok: boolean; accounts: number; total: number; entries_total: number;
  mismatched: ColumnType<Array<{ id: number; balance: number; entries: number }>, string | undefined, string>;
}

export interface DB {
  meta: MetaTable;
  nodes: NodesTable;
  buildings: BuildingsTable;
  units: UnitsTable;
  map_features: MapFeaturesTable;
  households: HouseholdsTable;
  boards: BoardsTable;
  posts: PostsTable;
  departments: DepartmentsTable;
  online_groups: OnlineGroupsTable;
  users: UsersTable;
  residents: ResidentsTable;
  role_assignments: RoleAssignmentsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_attempts: LoginAttemptsTable;
  login_windows: LoginWindowsTable;
  audit_log: AuditLogTable;
  files: FilesTable;
  categories: CategoriesTable;
  calendar_days: CalendarDaysTable;
  matters: MattersTable;
  matter_reporters: MatterReportersTable;
  matter_assignments: MatterAssignmentsTable;
  matter_events: MatterEventsTable;
  matter_photos: MatterPhotosTable;
  matter_requests: MatterRequestsTable;
  notices: NoticesTable;
  jobs: JobsTable;
  matter_counts: MatterCountsTable;
  matter_metrics: MatterMetricsTable;
  inspection_tasks: InspectionTasksTable;
  intake_sources: IntakeSourcesTable;
  group_members: GroupMembersTable;
  group_messages: GroupMessagesTable;
  sensing_phrases: SensingPhrasesTable;
  sensing_labels: SensingLabelsTable;
  sensing_models: SensingModelsTable;
  outbound_targets: OutboundTargetsTable;
  broadcast_content: BroadcastContentTable;
  broadcast_plans: BroadcastPlansTable;
  outbound_deliveries: OutboundDeliveriesTable;
  inspection_points: InspectionPointsTable;
  phone_codes: PhoneCodesTable;
  visits: VisitsTable;
  visit_households: VisitHouseholdsTable;
  visit_photos: VisitPhotosTable;
  grid_stations: GridStationsTable;
  topics: TopicsTable;
  topic_supports: TopicSupportsTable;
  topic_events: TopicEventsTable;
  topic_plans: TopicPlansTable;
  plan_authors: PlanAuthorsTable;
  plan_photos: PlanPhotosTable;
  plan_departments: PlanDepartmentsTable;
  plan_amendments: PlanAmendmentsTable;
  topic_comments: TopicCommentsTable;
  plan_goals: PlanGoalsTable;
  pledges: PledgesTable;
  deliberation_meetings: DeliberationMeetingsTable;
  meeting_attendees: MeetingAttendeesTable;
  pending_items: PendingItemsTable;
  meeting_agenda: MeetingAgendaTable;
  topic_votes: TopicVotesTable;
  deliberation_projects: DeliberationProjectsTable;
  project_departments: ProjectDepartmentsTable;
  project_milestones: ProjectMilestonesTable;
  project_photos: ProjectPhotosTable;
  project_matters: ProjectMattersTable;
  point_accounts: PointAccountsTable;
  point_transfers: PointTransfersTable;
  point_entries: PointEntriesTable;
  point_rules: PointRulesTable;
  merchants: MerchantsTable;
  merchant_keepers: MerchantKeepersTable;
  merchant_items: MerchantItemsTable;
  redemptions: RedemptionsTable;
  merchant_code_misses: MerchantCodeMissesTable;
  volunteer_hours: VolunteerHoursTable;
  point_scheme: PointSchemeTable;
  point_flags: PointFlagsTable;
  point_reconciliations: PointReconciliationsTable;
}

export type NodeRow = Selectable<NodesTable>;
export type NewNode = Insertable<NodesTable>;
export type NodeUpdate = Updateable<NodesTable>;
export type UserRow = Selectable<UsersTable>;
export type ResidentRow = Selectable<ResidentsTable>;
export type RoleAssignmentRow = Selectable<RoleAssignmentsTable>;
export type NewFileRow = Insertable<FilesTable>;
export type MatterRow = Selectable<MattersTable>;
export type AssignmentRow = Selectable<MatterAssignmentsTable>;
export type CategoryRow = Selectable<CategoriesTable>;
