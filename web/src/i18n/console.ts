import type { Messages } from './index.ts';

/** Messages of the console area (zh-CN first; en beside it). */
export default {
  'zh-CN': {
    title: '综治中心工作台',
    nav: {
      triage: '研判队列', search: '全部事件', matter: '事件详情', deadlines: '期限看板', escalations: '上报与跨区', messages: '群消息', stats: '统计', admin: '系统管理',
    },
    live: { on: '实时', off: '未连接' },
    col: {
      code: '编号', title: '标题', source: '来源', area: '网格/区域', category: '类别', status: '状态', level: '层级', reportedAt: '上报时间',
      dueAt: '期限', urgent: '紧急', actions: '操作', overdueBy: '超期', remaining: '剩余', owner: '承办中心',
    },
    source: { group_message: '群消息', visit: '走访', patrol: '巡查', resident_report: '居民上报', hotline: '热线', sensor: '感知设备', inspection: '专项检查' },
    level: { grid: '网格', community: '社区', town: '街道', district: '区县' },
    complexity: { simple: '简单', general: '一般', complex: '复杂' },
    scope: { household: '个人/家庭', shared: '小区/楼栋', public: '公共' },
    board: { party_building: '党建统领', economy: '经济发展', livelihood: '民生服务', safety_law: '平安法治' },
    role: {
      centre_operator: '中心值班员', admin: '管理员', community_staff: '社区干部', grid_worker: '网格员', grid_chief: '网格长', board_lead: '板块负责人',
      department_handler: '部门', post_handler: '岗位', building_head: '楼栋长', unit_head: '单元长', resident: '居民', volunteer: '志愿者', system: '系统',
    },
    kind: { node: '网格/社区/街道', board: '板块', post: '岗位', department: '部门/派驻机构' },
    urgent: '紧急', dupOf: '疑似重复 #{id}', refresh: '刷新', total: '共 {n} 件', newBadge: '新事件',
    triage: {
      hint: '待研判事件：紧急和最新的在前。点一行打开研判，按 ↑↓ 选择、回车打开。',
      register: '立案', reject: '不予立案', open: '详情', drawerTitle: '研判 {code}', suggestion: '系统建议', reasons: '依据',
      category: '事件类别', complexity: '复杂程度', scope: '影响范围', level: '处置层级', leadBoard: '牵头板块', note: '研判意见',
      rejectReason: '不予立案理由', registered: '已立案', rejected: '已不予立案', markUrgent: '标为紧急', publicTitle: '公开标题', publicTitleHint: '如“3栋楼道灯不亮”；不写则公开页只显示类别',
    },
    matter: {
      publicCode: '查询码', publicCodeHint: '居民凭查询码在“我的事情”里看进度；内部编号不对外',
      description: '事件描述', photos: '照片', map: '位置', assignments: '承办单位', timeline: '全过程记录', requests: '待审批申请',
      role: '角色', lead: '牵头', assist: '协办', summoned: '吹哨报到', due: '期限', countdown: '剩余 {t}', overdueBy: '已超期 {t}', noDue: '未派遣',
      owner: '承办中心', reporter: '报告人', anonymous: '匿名', address: '地址', category: '类别', noPhotos: '没有照片', noAssignments: '尚未派遣',
      approve: '同意', decline: '不同意', suspend: '挂起', extend: '延期至 {t}',
      actions: '操作', statusChange: '{a} → {b}', by: '{who}（{role}）',
      a: {
        register: '立案', dispatch: '派遣', reassign: '改派', summon: '吹哨报到', escalate: '上报/跨区', verifyPass: '核查通过', verifyFail: '核查不通过',
        close: '结案', reopen: '重新办理', merge: '合并', reject: '不予立案', resume: '恢复',
      },
      f: {
        reason: '理由', note: '说明', toNode: '上报到', toNodeHint: '不选则上报到上一级', intoMatter: '合并到事件编号（ID）', departments: '报到部门',
      },
      done: '已完成', pending: '待签收', accepted: '处置中', returned: '已退回', cancelled: '已取消',
    },
    action: {
      report: '上报', register: '立案', reject: '不予立案', dispatch: '派遣', reassign: '改派', summon: '吹哨报到', accept: '签收', return: '退回',
      'assist-done': '协办完成', assist_done: '协办完成', escalate: '上报', progress: '处置进展', handle: '办结', suspend_request: '申请挂起', extend_request: '申请延期',
      'suspend-request': '申请挂起', 'extend-request': '申请延期', suspend: '挂起', extend: '延期', resume: '恢复', verify: '核查', rate: '评价', close: '结案', reopen: '重新办理',
      visit: '回访', merge: '合并', overdue: '超期', decide: '审批',
    },
    dispatch: {
      title: '派遣 {code}', lead: '牵头单位', leadKind: '牵头类型', assists: '协办单位', due: '办理期限', dueHint: '按类别“{c}”的时限（{n}）和节假日计算',
      dueUnknown: '先立案并选定类别，才能计算期限', note: '派遣意见', confirm: '确认派遣', pickLead: '请选择牵头单位',
      unit: { natural_hours: '{n}小时', natural_days: '{n}天', working_hours: '{n}个工作小时', working_days: '{n}个工作日' },
    },
    search: { q: '关键词/编号', grid: '区域', category: '类别', status: '状态', source: '来源', dates: '上报日期', from: '开始', to: '结束', overdue: '只看超期', reset: '重置', loadMore: '加载更多' },
    deadlines: { today: '今日到期', overdue: '已超期', suspended: '已挂起', suspendedFor: '挂起于 {t}' },
    esc: { incoming: '上报到本中心', outgoing: '本级上报出去', hint: '本中心承办、但来自下级或其他街道/区县的事件；以及本辖区上报到上级或其他中心的事件。', from: '事发区域', cross: '跨区', up: '上报' },
    msg: {
      hint: '群里可处置的消息：紧急的在前（红色）。转为事件，或注明已在群内处理。', group: '群', grid: '网格', sender: '发送人', text: '内容', at: '时间', category: '建议类别',
      toMatter: '转为事件', handled: '群内已处理', handledNote: '处理说明', held: '未绑定群的消息', bind: '绑定到网格群', externalGroupId: '外部群ID', coverage: '覆盖情况',
      groups: '群数', covered: '已覆盖网格', grids: '网格数', created: '已转为事件 {code}', none: '没有待处理的群消息',
    },
    stats: {
      node: '统计范围', range: '日期', export: '导出 Excel', summary: '汇总', breakdown: '下级', handlers: '承办单位', kinds: { department: '部门', post: '岗位', board: '板块' },
      reported: '上报', due: '应结', closed: '已结', closedOnTime: '按期结案', closureRate: '结案率', onTimeRate: '按期结案率', rated: '评价数', satisfactionRate: '满意率',
      handled: '办结', reworkRate: '返工率', closes: '结案次数', averageHandlingHours: '平均办理时长(时)', suspended: '挂起', extended: '延期', escalated: '上报上级', overdueNow: '当前超期',
      name: '名称', code: '编码',
    },
    user: { lang: 'English', logout: '退出登录' },
    ok: '操作成功',
  },
  en: {
    title: 'Governance centre console',
    nav: {
      triage: 'Triage', search: 'All matters', matter: 'Matter', deadlines: 'Deadlines', escalations: 'Escalations', messages: 'Group messages', stats: 'Statistics', admin: 'Administration',
    },
    live: { on: 'Live', off: 'Offline' },
    col: {
      code: 'Code', title: 'Title', source: 'Source', area: 'Grid / area', category: 'Category', status: 'Status', level: 'Level', reportedAt: 'Reported',
      dueAt: 'Due', urgent: 'Urgent', actions: 'Actions', overdueBy: 'Overdue by', remaining: 'Left', owner: 'Owner',
    },
    source: { group_message: 'Group message', visit: 'Visit', patrol: 'Patrol', resident_report: 'Resident', hotline: 'Hotline', sensor: 'Sensor', inspection: 'Inspection' },
    level: { grid: 'Grid', community: 'Community', town: 'Town', district: 'District' },
    complexity: { simple: 'Simple', general: 'General', complex: 'Complex' },
    scope: { household: 'Household', shared: 'Estate / building', public: 'Public' },
    board: { party_building: 'Party building', economy: 'Economy', livelihood: 'Livelihood', safety_law: 'Safety & law' },
    role: {
      centre_operator: 'Centre operator', admin: 'Admin', community_staff: 'Community staff', grid_worker: 'Grid worker', grid_chief: 'Grid chief', board_lead: 'Board lead',
      department_handler: 'Department', post_handler: 'Post', building_head: 'Building head', unit_head: 'Unit head', resident: 'Resident', volunteer: 'Volunteer', system: 'System',
    },
    kind: { node: 'Grid / community / town', board: 'Board', post: 'Post', department: 'Department / agency' },
    urgent: 'Urgent', dupOf: 'Possible duplicate of #{id}', refresh: 'Refresh', total: '{n} matters', newBadge: 'New',
    triage: {
      hint: 'Matters to triage, urgent and newest first. Click a row to triage it; ↑↓ to move, Enter to open.',
      register: 'Register', reject: 'Reject', open: 'Open', drawerTitle: 'Triage {code}', suggestion: 'Suggestion', reasons: 'Why',
      category: 'Category', complexity: 'Complexity', scope: 'Scope', level: 'Level', leadBoard: 'Lead board', note: 'Note',
      rejectReason: 'Reason for rejecting', registered: 'Registered', rejected: 'Rejected', markUrgent: 'Urgent', publicTitle: 'Public title', publicTitleHint: 'A title residents may see, e.g. "Stairwell light out in building 3"; empty shows the category only',
    },
    matter: {
      publicCode: 'Tracking code', publicCodeHint: 'Residents follow progress with this code; the internal code stays internal',
      description: 'Description', photos: 'Photos', map: 'Location', assignments: 'Assignments', timeline: 'Timeline', requests: 'Requests to decide',
      role: 'Role', lead: 'Lead', assist: 'Assist', summoned: 'Summoned', due: 'Due', countdown: '{t} left', overdueBy: 'Overdue by {t}', noDue: 'Not dispatched',
      owner: 'Owner', reporter: 'Reporter', anonymous: 'Anonymous', address: 'Address', category: 'Category', noPhotos: 'No photos', noAssignments: 'Not dispatched yet',
      approve: 'Approve', decline: 'Decline', suspend: 'Suspend', extend: 'Extend to {t}',
      actions: 'Actions', statusChange: '{a} → {b}', by: '{who} ({role})',
      a: {
        register: 'Register', dispatch: 'Dispatch', reassign: 'Reassign', summon: 'Summon', escalate: 'Escalate', verifyPass: 'Verify: pass', verifyFail: 'Verify: fail',
        close: 'Close', reopen: 'Reopen', merge: 'Merge', reject: 'Reject', resume: 'Resume',
      },
      f: {
        reason: 'Reason', note: 'Note', toNode: 'Escalate to', toNodeHint: 'Empty: one level up', intoMatter: 'Merge into matter ID', departments: 'Departments',
      },
      done: 'Done', pending: 'Pending', accepted: 'In hand', returned: 'Returned', cancelled: 'Cancelled',
    },
    action: {
      report: 'Reported', register: 'Registered', reject: 'Rejected', dispatch: 'Dispatched', reassign: 'Reassigned', summon: 'Summoned', accept: 'Accepted', return: 'Returned',
      'assist-done': 'Assist done', assist_done: 'Assist done', escalate: 'Escalated', progress: 'Progress', handle: 'Handled', suspend_request: 'Asked to suspend', extend_request: 'Asked to extend',
      'suspend-request': 'Asked to suspend', 'extend-request': 'Asked to extend', suspend: 'Suspended', extend: 'Extended', resume: 'Resumed', verify: 'Verified', rate: 'Rated', close: 'Closed', reopen: 'Reopened',
      visit: 'Return visit', merge: 'Merged', overdue: 'Overdue', decide: 'Decided',
    },
    dispatch: {
      title: 'Dispatch {code}', lead: 'Lead', leadKind: 'Lead kind', assists: 'Assists', due: 'Due', dueHint: 'From the deadline of “{c}” ({n}) over the holiday calendar',
      dueUnknown: 'Register the matter with a category first', note: 'Note', confirm: 'Dispatch', pickLead: 'Choose a lead',
      unit: { natural_hours: '{n} hours', natural_days: '{n} days', working_hours: '{n} working hours', working_days: '{n} working days' },
    },
    search: { q: 'Text or code', grid: 'Area', category: 'Category', status: 'Status', source: 'Source', dates: 'Reported', from: 'From', to: 'To', overdue: 'Overdue only', reset: 'Reset', loadMore: 'Load more' },
    deadlines: { today: 'Due today', overdue: 'Overdue', suspended: 'Suspended', suspendedFor: 'Suspended {t}' },
    esc: { incoming: 'Escalated to us', outgoing: 'Escalated by us', hint: 'Matters our centre owns that came from below or across from another town or district, and matters of our area now owned elsewhere.', from: 'Area', cross: 'Across', up: 'Up' },
    msg: {
      hint: 'Actionable messages from the online grids, urgent ones first (red). Turn one into a matter, or note it was handled in the group.', group: 'Group', grid: 'Grid', sender: 'Sender', text: 'Message', at: 'Time', category: 'Suggested category',
      toMatter: 'To matter', handled: 'Handled in group', handledNote: 'What was done', held: 'Messages from unbound groups', bind: 'Bind to a grid group', externalGroupId: 'External group ID', coverage: 'Coverage',
      groups: 'Groups', covered: 'Grids covered', grids: 'Grids', created: 'Matter {code} created', none: 'No messages waiting',
    },
    stats: {
      node: 'Node', range: 'Dates', export: 'Export Excel', summary: 'Summary', breakdown: 'By child', handlers: 'Handlers', kinds: { department: 'Departments', post: 'Posts', board: 'Boards' },
      reported: 'Reported', due: 'Due', closed: 'Closed', closedOnTime: 'On time', closureRate: 'Closure rate', onTimeRate: 'On-time rate', rated: 'Rated', satisfactionRate: 'Satisfaction',
      handled: 'Handled', reworkRate: 'Rework rate', closes: 'Closings', averageHandlingHours: 'Avg. hours', suspended: 'Suspended', extended: 'Extended', escalated: 'Escalated', overdueNow: 'Overdue now',
      name: 'Name', code: 'Code',
    },
    user: { lang: '中文', logout: 'Sign out' },
    ok: 'Done',
  },
} satisfies Messages;
