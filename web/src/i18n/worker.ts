import type { Messages } from './index.ts';

/** Messages of the worker area (zh-CN first; en beside it). */
export default {
  'zh-CN': {
    tabs: { inbox: '待办', record: '上报', visits: '走访', inspections: '巡查', me: '我的' },
    title: { inbox: '我的待办', record: '上报事件', visits: '入户走访', inspections: '巡查任务', inspection: '巡查点位', me: '我的', matter: '事件详情', groups: '群消息', meetings: '议事会', meeting: '开议事会', notFound: '页面不存在' },
    drafts: { waiting: '{n} 条草稿待发送', sending: '正在发送草稿…', saved: '已保存草稿，联网后自动发送', sentMatter: '草稿已发送：{code}', sentVisit: '走访草稿已发送', sentTopic: '议题草稿已发送', discard: '删除草稿', list: '待发送草稿', none: '没有待发送的草稿', error: '发送被拒：{e}', matter: '事件', visit: '走访', topic: '议题' },
    inbox: { grid: '本网格', mine: '派给我', empty: '暂无待办事项', pulling: '下拉刷新', loosing: '松开刷新', noDue: '未定期限', days: '{d}天{h}小时', hours: '{h}小时{m}分', minutes: '{m}分钟', overdueBy: '已超期 {t}' },
    matter: {
      publicCode: '查询码',
      description: '描述', category: '类别', address: '地点', due: '期限', photos: '照片', timeline: '处置过程', reportedAt: '上报时间', assignments: '承办',
      actions: { accept: '接单', return: '退回', progress: '进展', handle: '办结', assistDone: '协办完成' },
      note: '处置说明', reason: '退回理由', notePlaceholder: '写下做了什么', reasonPlaceholder: '为什么退回（至少 2 个字）', done: '已提交', noActions: '当前没有需要你处理的步骤', lead: '主办', assist: '协办',
      step: { report: '上报', register: '立案', reject: '不予立案', dispatch: '派遣', reassign: '改派', summon: '吹哨', accept: '接单', return: '退回', assist_done: '协办完成', assist_accept: '协办接单', assist_return: '协办退回', verify_pass: '核查通过', verify_fail: '核查未通过', rate_ok: '评价满意', rate_bad: '评价不满意', return_visit: '回访', overdue: '超期', remind: '到期提醒', escalate: '上报上级', progress: '进展', handle: '办结', suspend: '挂起', extend: '延期', resume: '恢复', verify: '核查', rate: '评价', close: '结案', reopen: '重新办理', visit: '回访', merge: '合并', request: '申请', decide: '审批' },
    },
    record: {
      description: '情况描述', descriptionPlaceholder: '看到了什么？在哪里？（例：3栋楼道堆放杂物）', category: '事件类别', suggested: '建议类别', noSuggestion: '输入描述后自动建议类别',
      source: '发现方式', patrol: '巡查发现', visit: '走访发现', urgent: '紧急', photos: '现场照片', location: '位置', gps: '用手机定位', locating: '定位中…',
      gpsFailed: '无法获取定位：{e}', gpsWhy: { denied: '没有定位权限', timeout: '定位超时了', unavailable: '手机暂时定不了位' }, tapMap: '或在地图上点选位置', inGrid: '所在网格：{g}', outside: '不在任何网格内', defaultGrid: '未选位置时按本网格上报：{g}', address: '地址补充', addressPlaceholder: '门牌、楼栋等（可选）',
      submit: '提交上报', sent: '已上报：{code}', needDescription: '请描述情况（至少 2 个字）', offlineMap: '离线时地图不可用，可用手机定位或按本网格上报',
    },
    visits: { new: '登记走访', grid: '网格', building: '楼栋', allBuildings: '全部楼栋', households: '走访户', noHouseholds: '本网格还没有登记住户', note: '走访情况', notePlaceholder: '家里情况、诉求、需要跟进的事', photos: '照片', submit: '提交走访', sent: '走访已登记', pickHousehold: '请选择至少一户', recent: '最近走访', empty: '还没有走访记录', room: '{b} {r}', noRoom: '未填门牌', by: '{name} · {n} 户' },
    inspections: { empty: '没有进行中的巡查任务', progress: '已查 {done}/{total}', abnormalCount: '异常 {n}', due: '截止 {t}', normal: '正常', abnormal: '异常', pending: '待查', note: '情况说明', notePlaceholder: '异常请写明情况', check: '提交', checked: '已记录', matter: '已生成事件 #{id}', pickState: '选择点位状态' },
    groups: { title: '群消息', pick: '选择群', noGroups: '本网格还没有绑定的群', text: '消息内容', textPlaceholder: '长按粘贴群里的消息', sender: '发送人', senderPlaceholder: '发消息的人（可选）', submit: '录入消息', sent: '已录入', actionable: '待处理的群消息', empty: '没有待处理的群消息', toMatter: '转为事件', handled: '群内已处理', handledNote: '怎么处理的（可选）', converted: '已转为事件 {code}', marked: '已标记为群内已处理', unavailable: '群消息功能暂不可用', dismiss: '忽略', dismissTitle: '不是诉求，忽略', dismissReason: '为什么忽略（可选）', dismissed: '已忽略', raise: '标为紧急', clear: '取消紧急', pickKind: '选择紧急类型', raised: '已标为紧急', cleared: '已取消紧急', why: '依据' },
    meetings: {
      none: '还没有安排议事会', attendance: '到会人数', topic: '议题', voting: '正在表决', open: '开始签到', showCode: '显示签到码', closed: '议事会已结束',
      codeHint: '请居民扫码或输入签到码', presentTitle: '登记到会', handsTitle: '登记到会和举手表决', name: '姓名', namePlaceholder: '输入居民姓名查找', search: '查找',
      noneFound: '没有找到这个人，请核对姓名', markPresent: '到会', present: '已登记到会', voted: '已记下这一票', pickPlan: '请先选一个方案', recordChoice: '记下选择',
      who: '已到会', minutes: '会议纪要', minutesPlaceholder: '大家商量的结果、谁负责、啥时候办', close: '结束议事会',
      state: { planned: '未开始', open: '进行中', closed: '已结束' }, approval: { yes: '赞成', no: '反对', abstain: '弃权' }, via: { code: '签到码', qr: '扫码', staff: '工作人员登记' },
    },
    me: { grids: '我的网格', roles: '我的角色', groups: '群消息录入', meetings: '议事会', lang: 'English', logout: '退出登录', online: '网络正常', offline: '离线', role: { grid_worker: '网格员', grid_chief: '网格长', building_head: '楼栋长', unit_head: '单元长', community_staff: '社区干部' } },
    offline: '当前离线：上报和走访会先存为草稿',
    retry: '立即发送',
  },
  en: {
    tabs: { inbox: 'To do', record: 'Report', visits: 'Visits', inspections: 'Checks', me: 'Me' },
    title: { inbox: 'My to-do', record: 'Report a matter', visits: 'Household visits', inspections: 'Inspection tasks', inspection: 'Inspection points', me: 'Me', matter: 'Matter', groups: 'Group messages', meetings: 'Meetings', meeting: 'Run the meeting', notFound: 'Page not found' },
    drafts: { waiting: '{n} draft(s) waiting', sending: 'Sending drafts…', saved: 'Saved as a draft; it is sent when the network returns', sentMatter: 'Draft sent: {code}', sentVisit: 'Visit draft sent', sentTopic: 'Topic draft sent', discard: 'Delete draft', list: 'Drafts waiting', none: 'No drafts waiting', error: 'Refused: {e}', matter: 'Matter', visit: 'Visit', topic: 'Topic' },
    inbox: { grid: 'My grid', mine: 'Assigned to me', empty: 'Nothing to do', pulling: 'Pull to refresh', loosing: 'Release to refresh', noDue: 'No due time', days: '{d} d {h} h', hours: '{h} h {m} min', minutes: '{m} min', overdueBy: 'Overdue by {t}' },
    matter: {
      publicCode: 'Tracking code',
      description: 'Description', category: 'Category', address: 'Place', due: 'Due', photos: 'Photos', timeline: 'Timeline', reportedAt: 'Reported', assignments: 'Handlers',
      actions: { accept: 'Accept', return: 'Return', progress: 'Progress', handle: 'Mark handled', assistDone: 'Assist done' },
      note: 'What was done', reason: 'Reason', notePlaceholder: 'Write what was done', reasonPlaceholder: 'Why return it (2 characters or more)', done: 'Submitted', noActions: 'Nothing for you to do here now', lead: 'Lead', assist: 'Assist',
      step: { report: 'Reported', register: 'Registered', reject: 'Rejected', dispatch: 'Dispatched', reassign: 'Reassigned', summon: 'Summoned', accept: 'Accepted', return: 'Returned', assist_done: 'Assist done', assist_accept: 'Assist accepted', assist_return: 'Assist returned', verify_pass: 'Verified', verify_fail: 'Sent back', rate_ok: 'Rated satisfied', rate_bad: 'Rated dissatisfied', return_visit: 'Return visit', overdue: 'Overdue', remind: 'Reminder', escalate: 'Escalated', progress: 'Progress', handle: 'Handled', suspend: 'Suspended', extend: 'Extended', resume: 'Resumed', verify: 'Verified', rate: 'Rated', close: 'Closed', reopen: 'Reopened', visit: 'Return visit', merge: 'Merged', request: 'Request', decide: 'Decision' },
    },
    record: {
      description: 'What is it', descriptionPlaceholder: 'What did you see, and where? (e.g. clutter in the stairwell of block 3)', category: 'Category', suggested: 'Suggested', noSuggestion: 'A category is suggested as you type',
      source: 'Found on', patrol: 'Patrol', visit: 'Household visit', urgent: 'Urgent', photos: 'Photos', location: 'Location', gps: 'Use my location', locating: 'Locating…',
      gpsFailed: 'No location: {e}', gpsWhy: { denied: 'location permission refused', timeout: 'it took too long', unavailable: 'the phone cannot find its position' }, tapMap: 'or tap the map', inGrid: 'Grid: {g}', outside: 'Outside every grid', defaultGrid: 'Without a point it is reported for my grid: {g}', address: 'Address detail', addressPlaceholder: 'Building, door (optional)',
      submit: 'Report', sent: 'Reported: {code}', needDescription: 'Describe it (2 characters or more)', offlineMap: 'The map needs the network; use the phone location or report for my grid',
    },
    visits: { new: 'Log a visit', grid: 'Grid', building: 'Building', allBuildings: 'All buildings', households: 'Households', noHouseholds: 'No households registered in this grid', note: 'What you found', notePlaceholder: 'How they are, requests, follow-ups', photos: 'Photos', submit: 'Log visit', sent: 'Visit logged', pickHousehold: 'Pick at least one household', recent: 'Recent visits', empty: 'No visits yet', room: '{b} {r}', noRoom: 'no door number', by: '{name} · {n} household(s)' },
    inspections: { empty: 'No open inspection tasks', progress: 'Checked {done}/{total}', abnormalCount: '{n} abnormal', due: 'Due {t}', normal: 'Normal', abnormal: 'Abnormal', pending: 'To check', note: 'Note', notePlaceholder: 'Describe what is wrong', check: 'Submit', checked: 'Recorded', matter: 'Matter #{id} raised', pickState: 'State of the point' },
    groups: { title: 'Group messages', pick: 'Group', noGroups: 'No groups bound to my grid', text: 'Message', textPlaceholder: 'Paste the message from the group', sender: 'Sender', senderPlaceholder: 'Who sent it (optional)', submit: 'Add message', sent: 'Added', actionable: 'Messages to act on', empty: 'No messages to act on', toMatter: 'Make a matter', handled: 'Handled in group', handledNote: 'How it was handled (optional)', converted: 'Made matter {code}', marked: 'Marked handled in the group', unavailable: 'Group messages are not available', dismiss: 'Dismiss', dismissTitle: 'Not a request: dismiss', dismissReason: 'Why dismiss it (optional)', dismissed: 'Dismissed', raise: 'Mark urgent', clear: 'Clear urgency', pickKind: 'Which kind of urgency', raised: 'Marked urgent', cleared: 'Urgency cleared', why: 'Why' },
    meetings: {
      none: 'No meetings planned yet', attendance: 'Present', topic: 'Topic', voting: 'Being voted on', open: 'Start check-in', showCode: 'Show the check-in code', closed: 'The meeting is closed',
      codeHint: 'Residents scan the code or type it in', presentTitle: 'Record attendance', handsTitle: 'Attendance and a show of hands', name: 'Name', namePlaceholder: 'Type a resident\'s name', search: 'Find',
      noneFound: 'Nobody by that name; check the spelling', markPresent: 'Present', present: 'Recorded as present', voted: 'Vote recorded', pickPlan: 'Choose a plan first', recordChoice: 'Record the choice',
      who: 'Present', minutes: 'Minutes', minutesPlaceholder: 'What was agreed, who does it, by when', close: 'Close the meeting',
      state: { planned: 'Planned', open: 'Open', closed: 'Closed' }, approval: { yes: 'Yes', no: 'No', abstain: 'Abstain' }, via: { code: 'Code', qr: 'QR', staff: 'By staff' },
    },
    me: { grids: 'My grids', roles: 'My roles', groups: 'Paste group messages', meetings: 'Meetings', lang: '中文', logout: 'Sign out', online: 'Online', offline: 'Offline', role: { grid_worker: 'Grid worker', grid_chief: 'Grid chief', building_head: 'Building head', unit_head: 'Unit head', community_staff: 'Community staff' } },
    offline: 'Offline: reports and visits are kept as drafts',
    retry: 'Send now',
  },
} satisfies Messages;
