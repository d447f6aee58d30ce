/**
 * Masks personal data in free text that anyone may read (the public matter page, outcomes posted to groups):
 * mainland mobile numbers (with spaces or dashes, +86), landlines, 18-digit ID numbers and other long digit runs
 * (old 15-digit IDs, bank cards), numbers right after a phone word (电话、座机 …), and the name a speaker gives
 * after 我是 / 我叫 / 本人. Each masked character becomes '*', so the text keeps its shape and masking it again
 * changes nothing. A phrase after 我是 is kept only when it starts like a common non-name (业主、住在、这里 …):
 * masking a word too many is harmless, a name too few is not.
 */

const D = '[0-9０-９]';
/** One optional separator between digits: space, hyphen, no-break or ideographic space, full-width hyphen, dash. */
const S = '[ \\-\\u00a0\\u3000－—]?';
const notDigitBefore = `(?<!${D})`;
const notDigitAfter = `(?!${D})`;

/** 15 to 19 digits (an ID number may end in X): ID numbers, old IDs, bank cards. */
const LONG_RUN = new RegExp(`${notDigitBefore}${D}(?:${S}${D}){14,18}(?:${S}[XxＸｘ])?${notDigitAfter}`, 'g');
/** A mainland mobile: 1[3-9] and nine more digits, maybe after +86 or (+86). */
const MOBILE = new RegExp(`${notDigitBefore}(?:[(（]?[+＋]?[8８][6６][)）]?${S})?[1１]${S}[3-9３-９](?:${S}${D}){9}${notDigitAfter}`, 'g');
/** A landline: a 3- or 4-digit area code from 0 (023 for Chongqing), maybe in brackets, then 7 or 8 digits. */
const LANDLINE = new RegExp(`${notDigitBefore}[(（]?[0０]${D}{2,3}[)）]?${S}[2-9２-９](?:${S}${D}){6,7}${notDigitAfter}`, 'g');
/** Any number of 5 or more digits right after a word that introduces one (a local number without its area code). */
const AFTER_PHONE_WORD = new RegExp(`((?:电话|手机|座机|号码|联系方式|微信|[Tt][Ee][Ll])(?:号码|号)?[是为]?[:：\\s]*)(${D}(?:${S}${D}){4,})`, 'g');

/** The name a speaker gives: after these words, two or three Han characters (longest trigger first). */
const NAME = /(我的名字叫|我的名字是|名字叫|本人叫|本人是|我叫|我是|本人|姓名|联系人)([:：\s]*)(\p{Script=Han}{2,3})/gu;

/** What commonly follows 我是 / 本人 and is not a name: the phrase starts with one of these words. */
const NOT_NAMES = [
  '业主', '居民', '住户', '租户', '房东', '房客', '本地', '本小区', '本栋', '这里', '这边', '这个', '这栋', '那个', '那边', '一个', '一名', '一位',
  '一户', '一家', '家住', '家里', '楼上', '楼下', '隔壁', '对门', '对面', '附近', '路过', '外卖', '快递', '老人', '老年', '老旧', '退休', '残疾', '党员',
  '志愿', '网格', '小区', '社区', '街道', '物业', '保安', '保洁', '环卫', '家长', '学生', '老师', '司机', '商户', '店主', '老板', '第一', '真的', '实在',
  '反映', '投诉', '举报', '咨询', '孤寡', '独居', '低保', '村民', '群众', '市民', '居委', '今年', '今天', '昨天', '前天', '现在', '已经', '多次', '曾经',
  '同意', '承诺', '希望', '认为', '觉得', '没有', '不是', '也是', '就是', '还是', '专门', '特意', '刚刚', '刚才', '上午', '下午', '晚上', '早上',
  '新来', '老住', '屋头', '本单元',
];
/** A first character that does not begin a name here (在、住、的 …). */
const NOT_NAME_START = new Set([...'在住从要想来去的给被把对跟是也都就还很不没这那了过着又再说因为个人他她你打做开买搞当怎啥哪什有员']);
/** A third character that more likely starts the next word than ends a two-character name (张三电话 → 张三). */
const AFTER_NAME = new Set([...'电手住在的家今年是从要想说反我们也就和跟给这那已有没不来去现刚又都还一了啊呀哈嘛噻哦喔嘞撒嘛']);

const maskDigits = (s: string) => s.replace(/[0-9０-９XxＸｘ]/g, '*');

function maskName(whole: string, trigger: string, gap: string, name: string): string {
  if (NOT_NAMES.some((w) => name.startsWith(w)) || NOT_NAME_START.has(name[0] ?? '')) return whole;
  const given = name.length === 3 && AFTER_NAME.has(name[2] ?? '') ? name.slice(0, 2) : name;
  return `${trigger}${gap}${'*'.repeat(given.length)}${name.slice(given.length)}`;
}

/** The text with personal numbers and self-given names masked; other text as it was. */
export function redactPersonal(text: string): string {
  return text
    .replace(LONG_RUN, maskDigits)
    .replace(MOBILE, maskDigits)
    .replace(LANDLINE, maskDigits)
    .replace(AFTER_PHONE_WORD, (_m, word: string, number: string) => `${word}${maskDigits(number)}`)
    .replace(NAME, maskName);
}

/**
 * The text with every occurrence of the given people's names masked as the family name and stars (王建国 → 王**),
 * longest names first so 王建国 is not left as 王建** by 王建. For texts about known people — the residents of a place
 * — where redactPersonal's "我是…" rule cannot tell a name from other words. Names shorter than two characters are
 * ignored (a single character is not a name one can find safely).
 */
export function maskKnownNames(text: string, names: Iterable<string>): string {
  const list = [...new Set([...names].map((n) => n.trim()).filter((n) => [...n].length >= 2))].sort((a, b) => b.length - a.length);
  let out = text;
  for (const name of list) {
    if (!out.includes(name)) continue;
    const chars = [...name];
    out = out.split(name).join(chars[0] + '*'.repeat(chars.length - 1));
  }
  return out;
}
