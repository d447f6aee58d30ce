import type { Messages } from './index.ts';

/** Words every area uses. Statuses and public stages follow src/core/matters/workflow.ts. */
export default {
  'zh-CN': {
    appName: '双网格',
    notFoundPage: { title: '这个页面不存在', body: '地址可能写错了，或者页面已经换了位置。', areaHome: '回到本栏目首页', home: '回到首页' },
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
    errors: {
      network: '连不上服务器，请检查网络后再试', unexpected: '页面出了点问题，请刷新后再试', generic: '没有办成，请检查后再试',
      unauthenticated: '请先登录', forbidden: '你没有权限做这件事', notFound: '没有找到', server: '服务器出了点问题，请稍后再试',
      requestId: '（请求编号 {id}）',
      required: '请写上{f}', pick: '请选择{f}', tooShort: '{f}至少要写 {n} 个字', tooLong: '{f}最多只能写 {n} 个字', format: '{f}填得不对，请检查一下',
      phone: '请写 11 位手机号，比如 13812345678',
      username: '账号要用 3 到 32 位字母、数字或 . - _', passwordShort: '密码至少要 8 位',
    },
    paging: { shown: '已显示 {n} 条，还有更多', all: '共 {n} 条', loadMore: '加载更多', failed: '加载失败，点击重试' },
  },
  en: {
    appName: 'dualgrid',
    notFoundPage: { title: 'This page does not exist', body: 'The address may be mistyped, or the page has moved.', areaHome: 'Back to this area\'s first page', home: 'Back to the start' },
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
    errors: {
      network: 'Cannot reach the server; check the connection and try again', unexpected: 'Something went wrong on this page; reload and try again',
      generic: 'That did not work; check and try again', unauthenticated: 'Please sign in', forbidden: 'You may not do this',
      notFound: 'Not found', server: 'The server had a problem; try again in a moment', requestId: ' (request id {id})',
      required: 'Please fill in {f}', pick: 'Please choose {f}', tooShort: '{f} needs at least {n} characters', tooLong: '{f} takes at most {n} characters',
      format: '{f} is not valid; please check it', phone: 'Write an 11-digit mobile number such as 13812345678',
      username: 'A username takes 3–32 letters, digits or . - _', passwordShort: 'A password needs at least 8 characters',
    },
    paging: { shown: '{n} shown, more to come', all: '{n} in all', loadMore: 'Load more', failed: 'Could not load; tap to retry' },
  },
} satisfies Messages;
