import type { Messages } from './index.ts';

/** Messages of the dept area (zh-CN first; en beside it). */
export default {
  'zh-CN': {
    area: '部门 · 岗位办理', title: '我的交办事件', detailTitle: '事件详情',
    tabs: { pending: '待接收', handling: '办理中', done: '已办结' },
    empty: { pending: '没有待接收的事件', handling: '没有办理中的事件', done: '还没有办结的事件' },
    role: { lead: '主办', assist: '协办' },
    summoned: '吹哨报到', urgent: '紧急',
    aStatus: { pending: '待接收', accepted: '办理中', done: '已完成', returned: '已退回', cancelled: '已取消' },
    left: '剩余 {t}', overdueBy: '已超期 {t}', noDue: '无期限',
    days: '{d}天{h}小时', hours: '{h}小时{m}分', minutes: '{m}分钟',
    description: '事件描述', location: '事件位置', photos: '现场照片', timeline: '办理过程', category: '类别', reported: '上报时间', due: '办理期限',
    assignments: '承办单位', mine: '我方', code: '编号',
    act: {
      accept: '接收', return: '退回', progress: '进展反馈', handle: '办结', assistDone: '协办完成', suspend: '申请挂起', extend: '申请延期',
    },
    form: {
      reason: '退回或申请的理由', note: '办理情况', notePh: '写明做了什么、结果如何', reasonPh: '写明理由（至少2个字）', extendTo: '延期至', photos: '照片（可选，最多9张）',
      submit: '提交', uploading: '照片上传中…',
    },
    done: { accept: '已接收', return: '已退回', progress: '已反馈进展', handle: '已办结，等待核查', assistDone: '协办部分已完成', suspend: '挂起申请已提交', extend: '延期申请已提交' },
    pendingRequest: '有一项{kind}申请等待中心审批', requestKind: { suspend: '挂起', extend: '延期' },
    waitAssists: '协办单位完成后才能办结',
    noAction: '当前没有需要您处理的步骤',
    actions: {
      report: '上报', register: '立案', reject: '不予立案', dispatch: '派遣', reassign: '改派', summon: '吹哨报到', accept: '接收', return: '退回',
      assist_accept: '协办接收', assist_return: '协办退回', assist_done: '协办完成', progress: '进展反馈', handle: '办结', verify_pass: '核查通过',
      verify_fail: '核查不通过', rate_ok: '评价', rate_bad: '不满意', close: '结案', reopen: '重新办理', suspend: '挂起', resume: '恢复',
      extend: '延期', escalate: '上报上级', merge: '合并', return_visit: '回访', overdue: '超期', remind: '提醒',
      suspend_requested: '申请挂起', extend_requested: '申请延期', suspend_rejected: '挂起申请未批准', extend_rejected: '延期申请未批准',
    },
    failed: '加载失败：{m}',
  },
  en: {
    area: 'Departments and posts', title: 'My assigned matters', detailTitle: 'Matter',
    tabs: { pending: 'To accept', handling: 'In hand', done: 'Done' },
    empty: { pending: 'Nothing to accept', handling: 'Nothing in hand', done: 'Nothing done yet' },
    role: { lead: 'Lead', assist: 'Assist' },
    summoned: 'Summoned', urgent: 'Urgent',
    aStatus: { pending: 'To accept', accepted: 'In hand', done: 'Done', returned: 'Returned', cancelled: 'Cancelled' },
    left: '{t} left', overdueBy: 'Overdue by {t}', noDue: 'No due time',
    days: '{d}d {h}h', hours: '{h}h {m}m', minutes: '{m} min',
    description: 'Description', location: 'Location', photos: 'Photos', timeline: 'Timeline', category: 'Category', reported: 'Reported', due: 'Due',
    assignments: 'Handlers', mine: 'us', code: 'Code',
    act: {
      accept: 'Accept', return: 'Return', progress: 'Progress note', handle: 'Mark handled', assistDone: 'Our part is done', suspend: 'Ask to suspend', extend: 'Ask for more time',
    },
    form: {
      reason: 'Reason', note: 'What was done', notePh: 'What you did and the result', reasonPh: 'Give a reason (2+ characters)', extendTo: 'Extend to', photos: 'Photos (optional, up to 9)',
      submit: 'Submit', uploading: 'Uploading photos…',
    },
    done: { accept: 'Accepted', return: 'Returned', progress: 'Progress recorded', handle: 'Handled; waiting for verification', assistDone: 'Your part is done', suspend: 'Suspension requested', extend: 'Extension requested' },
    pendingRequest: 'A {kind} request is waiting for the centre', requestKind: { suspend: 'suspension', extend: 'extension' },
    waitAssists: 'The assisting handlers must finish first',
    noAction: 'Nothing for you to do on this matter now',
    actions: {
      report: 'Reported', register: 'Registered', reject: 'Rejected', dispatch: 'Dispatched', reassign: 'Reassigned', summon: 'Summoned', accept: 'Accepted', return: 'Returned',
      assist_accept: 'Assist accepted', assist_return: 'Assist returned', assist_done: 'Assist done', progress: 'Progress', handle: 'Handled', verify_pass: 'Verified',
      verify_fail: 'Verification failed', rate_ok: 'Rated', rate_bad: 'Dissatisfied', close: 'Closed', reopen: 'Reopened', suspend: 'Suspended', resume: 'Resumed',
      extend: 'Extended', escalate: 'Escalated', merge: 'Merged', return_visit: 'Return visit', overdue: 'Overdue', remind: 'Reminder',
      suspend_requested: 'Suspension requested', extend_requested: 'Extension requested', suspend_rejected: 'Suspension refused', extend_rejected: 'Extension refused',
    },
    failed: 'Could not load: {m}',
  },
} satisfies Messages;
