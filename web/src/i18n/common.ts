import type { Messages } from './index.ts';

/** Words every area uses. Statuses and public stages follow src/core/matters/workflow.ts. */
export default {
  'zh-CN': {
    appName: '双网格',
    login: '登录', logout: '退出', username: '账号', password: '密码', submit: '提交', cancel: '取消', save: '保存',
    confirm: '确定', back: '返回', loading: '加载中…', retry: '重试', empty: '暂无数据', search: '搜索', more: '更多',
    offline: '网络已断开，内容会先保存在手机上', online: '网络已恢复', lang: 'English',
    loginFailed: '账号或密码不对', denied: '当前账号没有这个页面的权限，请换一个账号登录',
    status: {
      reported: '待研判', registered: '已立案', dispatched: '已派遣', handling: '处置中', handled: '待核查',
      feedback: '待评价', closed: '已结案', suspended: '已挂起', merged: '已合并', rejected: '不予立案',
    },
    stage: ['上报', '立案', '派遣', '处置', '反馈', '结案'],
    overdue: '已超期', dueIn: '剩余 {t}', due: '期限',
  },
  en: {
    appName: 'dualgrid',
    login: 'Sign in', logout: 'Sign out', username: 'Username', password: 'Password', submit: 'Submit', cancel: 'Cancel', save: 'Save',
    confirm: 'OK', back: 'Back', loading: 'Loading…', retry: 'Retry', empty: 'Nothing here', search: 'Search', more: 'More',
    offline: 'Offline: your entries are kept on this phone', online: 'Back online', lang: '中文',
    loginFailed: 'Wrong username or password', denied: 'This account may not open that page; sign in with another one',
    status: {
      reported: 'To triage', registered: 'Registered', dispatched: 'Dispatched', handling: 'In hand', handled: 'To verify',
      feedback: 'To rate', closed: 'Closed', suspended: 'Suspended', merged: 'Merged', rejected: 'Rejected',
    },
    stage: ['Reported', 'Registered', 'Dispatched', 'Handling', 'Feedback', 'Closed'],
    overdue: 'Overdue', dueIn: '{t} left', due: 'Due',
  },
} satisfies Messages;
