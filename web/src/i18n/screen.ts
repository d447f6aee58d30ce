import type { Messages } from './index.ts';

/** Messages of the screen area (zh-CN first; en beside it). */
export default {
  'zh-CN': {
    title: '双网格基层治理指挥大屏',
    tiles: { new: '今日新增', closed: '今日办结', open: '在办事件', onTime: '按期结案率', satisfaction: '满意率', last30: '近30日', none: '—' },
    map: '网格在办事件分布', mapLegend: '在办事件数', urgentIn: '紧急 {n} 件', overdueIn: '超期 {n} 件',
    trend: '近8周事件趋势', trendNew: '新增', trendClosed: '办结',
    categories: '近30日高发事件类别',
    feed: '实时动态', feedEmpty: '暂无事件', live: '实时', reconnecting: '重新连接中…',
    action: { created: '新上报', dispatched: '已派遣', overdue: '已超期', closed: '已办结', updated: '有更新', latest: '上报' },
    urgent: '紧急', overdue: '超期',
    inspections: '排查任务进度', inspectionsEmpty: '暂无进行中的排查任务', checked: '已查 {checked}/{total}', abnormal: '异常 {n}',
    failed: '数据加载失败：{m}', updatedAt: '更新于 {t}',
    deliberation: {
      title: '议事协商', thisYear: '今年', raised: '提出议题', decided: '表决通过', implemented: '已建成', participation: '居民参与率', empty: '今年还没有议题',
      stage: { collecting: '征集附议', deliberating: '协商中', voting: '表决中', decided: '已通过', rejected: '未通过', implementing: '实施中', completed: '已建成', expired: '已过期', merged: '已合并' },
    },
    points: { title: '积分', thisMonth: '本月', registered: '开户居民', active: '活跃账户', earned: '发放积分', redeemed: '兑换积分', volunteerHours: '志愿时长' },
    online: {
      figures: '线上网格 · 今日群消息', latest: '线上网格实时群消息', empty: '暂无需处置的群消息', uncategorised: '待研判',
      messages: '收到', actionable: '需处置', urgent: '紧急', handledInGroup: '群内办结', toMatter: '转为事件',
      kind: { fire: '火情', gas: '燃气', flood: '汛情溺水', trapped: '被困', falling: '坠物倒塌', fight: '暴力斗殴', missing: '人员走失', medical: '伤病急救', fraud: '诈骗' },
      state: { new: '待处置', held: '待绑定', to_matter: '已转事件', handled_in_group: '群内已办', dismissed: '已忽略' },
    },
  },
  en: {
    title: 'Dual-grid governance command screen',
    tiles: { new: 'New today', closed: 'Closed today', open: 'Open now', onTime: 'On-time rate', satisfaction: 'Satisfaction', last30: 'last 30 days', none: '—' },
    map: 'Open matters by grid', mapLegend: 'Open matters', urgentIn: '{n} urgent', overdueIn: '{n} overdue',
    trend: 'Last 8 weeks', trendNew: 'New', trendClosed: 'Closed',
    categories: 'Top categories, last 30 days',
    feed: 'Live', feedEmpty: 'No matters yet', live: 'live', reconnecting: 'Reconnecting…',
    action: { created: 'Reported', dispatched: 'Dispatched', overdue: 'Overdue', closed: 'Closed', updated: 'Updated', latest: 'Reported' },
    urgent: 'Urgent', overdue: 'Overdue',
    inspections: 'Inspection tasks', inspectionsEmpty: 'No open inspection tasks', checked: 'Checked {checked}/{total}', abnormal: '{n} abnormal',
    failed: 'Could not load the figures: {m}', updatedAt: 'Updated {t}',
    deliberation: {
      title: 'Deliberation', thisYear: 'this year', raised: 'Raised', decided: 'Passed', implemented: 'Built', participation: 'Participation', empty: 'No topics this year yet',
      stage: { collecting: 'Collecting', deliberating: 'Deliberating', voting: 'Voting', decided: 'Passed', rejected: 'Not passed', implementing: 'Building', completed: 'Built', expired: 'Expired', merged: 'Merged' },
    },
    points: { title: 'Points', thisMonth: 'this month', registered: 'Registered', active: 'Active', earned: 'Earned', redeemed: 'Redeemed', volunteerHours: 'Volunteer hours' },
    online: {
      figures: 'Online grid · group messages today', latest: 'Online grid: latest group messages', empty: 'No group messages to act on', uncategorised: 'To triage',
      messages: 'Taken in', actionable: 'Actionable', urgent: 'Urgent', handledInGroup: 'Handled in group', toMatter: 'To matters',
      kind: { fire: 'Fire', gas: 'Gas', flood: 'Flood or drowning', trapped: 'Trapped', falling: 'Falling object', fight: 'Violence', missing: 'Missing person', medical: 'Medical emergency', fraud: 'Fraud' },
      state: { new: 'Waiting', held: 'Held', to_matter: 'Matter made', handled_in_group: 'Handled in group', dismissed: 'Dismissed' },
    },
  },
} satisfies Messages;
