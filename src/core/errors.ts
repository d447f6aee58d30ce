/** The catalogue of errors the API may return: a stable code, an HTTP status and a safe message. */
export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid.', zh: '填写的内容不对，请检查后再提交。' },
  INVALID_CURSOR: { status: 400, message: 'The cursor is not valid; start again from the first page.', zh: '翻页位置失效了，请从第一页重新看。' },
  INVALID_GEOJSON: { status: 400, message: 'The GeoJSON is not valid.', zh: '上传的地图文件格式不对。' },
  CODE_UNKNOWN: { status: 404, message: 'No such redemption code; check the digits.', zh: '没有这个兑换码，请核对一下数字。' },
  INVALID_CODE: { status: 400, message: 'The division or grid code is not valid.', zh: '区划或网格编码不对。' },
  INVALID_HIERARCHY: { status: 400, message: 'That node cannot be placed there in the tree.', zh: '这个节点不能放在树的这个位置。' },
  IMPORT_FAILED: { status: 400, message: 'The import has errors; nothing was imported.', zh: '导入的文件有错，一条都没有导入。' },
  UNAUTHENTICATED: { status: 401, message: 'Please log in.', zh: '请先登录。' },
  INVALID_CREDENTIALS: { status: 401, message: 'Wrong username or password.', zh: '账号或密码不对。' },
  PHONE_CODE_INVALID: { status: 401, message: 'The code is not right; check the text message and try again.', zh: '验证码不对，请看一下短信再试。' },
  PHONE_CODE_EXPIRED: { status: 401, message: 'The code has run out or was already used; ask for a new one.', zh: '验证码已过期或已经用过了，请重新获取。' },
  PHONE_CODE_LOCKED: { status: 401, message: 'Too many wrong tries for this code; ask for a new one.', zh: '这个验证码输错次数太多了，请重新获取。' },
  FORBIDDEN: { status: 403, message: 'You do not have permission to do this.', zh: '你没有权限做这件事。' },
  CROSS_SITE_REQUEST: { status: 403, message: 'A change sent from another website is refused; open the page of this system and try again there.', zh: '从别的网站发来的修改被拒绝了，请在本系统的页面里重新操作。' },
  NOT_FOUND: { status: 404, message: 'Not found.', zh: '没有找到这条记录。' },
  CONFLICT: { status: 409, message: 'This conflicts with existing data.', zh: '和已有的数据冲突了。' },
  INVALID_TRANSITION: { status: 409, message: 'That step does not fit where the matter is now.', zh: '事件现在的状态不能做这一步。' },
  ASSISTS_PENDING: { status: 409, message: 'Assisting handlers have not finished their part yet.', zh: '协办单位还没有办完各自的部分。' },
  NODE_IN_USE: { status: 409, message: 'The node is referred to by other data; retire it instead of deleting it.', zh: '这个节点还被其他数据用着，请改为撤销，不要删除。' },
  TOPIC_NOT_OPEN: { status: 409, message: 'The topic is not at a stage where this can be done.', zh: '议题现在不在这个阶段，不能这样操作。' },
  VOTE_CLOSED: { status: 409, message: 'The vote is not open: it has not started or has already closed.', zh: '表决还没有开始或者已经结束了。' },
  ALREADY_VOTED: { status: 409, message: 'This resident has already voted on this topic; one person, one vote.', zh: '这位居民已经对这个议题投过票了，一人只能投一票。' },
  NOT_A_VOTER: { status: 403, message: 'Only verified residents living in the topic\'s area may do this.', zh: '只有住在议题范围内、已实名登记的居民才能这样做。' },
  INSUFFICIENT_POINTS: { status: 409, message: 'Not enough points for this.', zh: '积分不够。' },
  IDEMPOTENCY_CONFLICT: { status: 409, message: 'This request key was already used with a different request.', zh: '这个请求编号已经用在另一笔不同的操作上了。' },
  CODE_EXPIRED: { status: 409, message: 'The code has run out; ask the resident to show a new one.', zh: '兑换码已经过期了，请居民重新出示一个。' },
  CODE_USED: { status: 409, message: 'The code was already confirmed or declined; a code works once.', zh: '这个兑换码已经核销或取消过了，一个码只能用一次。' },
  CODE_OTHER_MERCHANT: { status: 409, message: 'The code is for another merchant.', zh: '这个兑换码是别家商户的。' },
  OUT_OF_STOCK: { status: 409, message: 'Not enough left in stock.', zh: '库存不够了。' },
  MERCHANT_UNAVAILABLE: { status: 409, message: 'The merchant is suspended or closed now.', zh: '这家商户暂停了或者现在没有营业。' },
  LIMIT_REACHED: { status: 409, message: 'A daily limit of the scheme is reached; try again tomorrow.', zh: '已经到了今天的兑换上限，请明天再来。' },
  SELF_DEALING: { status: 403, message: 'A merchant\'s keeper cannot redeem at their own shop.', zh: '商户经营者不能在自己的店里兑换积分。' },
  RETIRED: { status: 409, message: 'The node is retired and cannot be changed.', zh: '这个节点已经撤销，不能再修改。' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The upload is too large.', zh: '上传的文件太大了。' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'That file type is not accepted.', zh: '不支持这种文件类型。' },
  ACCOUNT_LOCKED: { status: 423, message: 'The account is locked after repeated failed logins; try again later.', zh: '登录失败次数太多，账号已被锁定，请稍后再试。' },
  LOGIN_THROTTLED: { status: 429, message: 'Too many failed logins; wait a moment and try again.', zh: '登录失败次数太多，请等一会儿再试。' },
  RATE_LIMITED: { status: 429, message: 'Too many requests.', zh: '操作太频繁了，请稍后再试。' },
  SMS_SEND_FAILED: { status: 502, message: 'The text message could not be sent; try again in a moment.', zh: '短信没有发出去，请过一会儿再试。' },
  INTERNAL: { status: 500, message: 'Something went wrong on our side. Quote the request id when reporting it.', zh: '系统出了点问题，反映问题时请告诉我们请求编号。' },
  NOT_READY: { status: 503, message: 'The service is not ready.', zh: '服务还没有准备好，请稍后再试。' },
  BAD_SIGNATURE: { status: 401, message: 'Unknown source, or the signature does not match.', zh: '来源未知，或者签名对不上。' },
  STALE_TIMESTAMP: { status: 401, message: 'The timestamp is outside the ±300 s window; sign it again with the current time.', zh: '时间戳超出了前后 300 秒的范围，请用当前时间重新签名。' },
  MALFORMED_UPLOAD: { status: 400, message: 'The upload is not a well-formed multipart/form-data body; send the file again.', zh: '上传的内容不完整，请重新发送文件。' },
  MALFORMED_MESSAGE: { status: 400, message: 'The body is not a message this intake path accepts.', zh: '这个接入口不接受这种消息格式。' },
  PAGES_NOT_BUILT: { status: 503, message: 'The web pages are not built: run "npm run build:web".', zh: '网页还没有构建，请运行 "npm run build:web"。' },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

/** The languages an error speaks: zh-CN for people in the pages, English for logs and integrations. */
export type Lang = 'zh-CN' | 'en';

/** A message in both languages, written where the error is thrown. */
export interface Said { en: string; zh: string }

/** The catalogue's text of a code in a language; a code without zh-CN text falls back to English (test/errors-i18n.test.ts refuses that). */
export function catalogueText(code: ErrorCode, lang: Lang): string {
  const entry: { message: string; zh?: string } = errorCatalogue[code];
  return lang === 'zh-CN' ? (entry.zh ?? entry.message) : entry.message;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  /** The specific message in Chinese, if the thrower wrote one; otherwise a zh-CN reader gets the catalogue's text. */
  readonly zh: string | undefined;

  constructor(code: ErrorCode, message?: string | Said, details?: unknown) {
    super(message === undefined ? errorCatalogue[code].message : typeof message === 'string' ? message : message.en);
    this.name = 'AppError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.details = details;
    this.zh = typeof message === 'object' ? message.zh : undefined;
  }

  /** The message a reader of this language sees: never English for zh-CN, never a guess for English. */
  messageIn(lang: Lang): string {
    if (lang === 'en') return this.message;
    return this.zh ?? catalogueText(this.code, 'zh-CN');
  }
}

/** 404 for a record: `what` names it (`Node 5` / `节点 5`); a bare string leaves zh-CN readers the catalogue's text. */
export const notFound = (what: string | Said) =>
  new AppError('NOT_FOUND', typeof what === 'string' ? `${what} was not found.` : { en: `${what.en} was not found.`, zh: `没有找到${what.zh}。` });
export const forbidden = (why?: string | Said) => new AppError('FORBIDDEN', why);

/** A refusal: 401 for an anonymous caller (log in first), 403 for a known one without the right. */
export const denied = (actor: unknown, why?: string | Said) => (actor ? forbidden(why) : new AppError('UNAUTHENTICATED'));
