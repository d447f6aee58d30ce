/**
 * Text normalisation for sensing: full-width forms to half-width (NFKC), lower case, no white space, and
 * WeChat's bracketed emoticon codes ([呲牙], [强]) and pictographic emojis removed. The result is what the
 * phrase matcher and the segmenter read; phrases of the dictionary are normalised the same way.
 */

const WHITESPACE = /\s+/g;
/** WeChat / WeCom emoticon codes as they appear in exported text: [微笑] [强] [OK] [抱拳]. */
const EMOTICON_CODE = /\[[\p{Script=Han}a-z]{1,4}\]/gu;
/** Emoji and their joiners / variation selectors / skin tones. */
const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|[\u200d\ufe0f\u20e3]/gu;

export function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(WHITESPACE, '');
}

/** The normalised text without emoticon codes and emojis: what is left of the words. */
export function stripEmoji(normalised: string): string {
  return normalised.replace(EMOTICON_CODE, '').replace(EMOJI, '');
}

/** How many emojis and emoticon codes a normalised text holds. */
export function countEmoji(normalised: string): number {
  let n = 0;
  for (const _ of normalised.matchAll(EMOTICON_CODE)) n++;
  for (const m of normalised.matchAll(EMOJI)) if (m[0] !== '\u200d' && m[0] !== '\ufe0f') n++;
  return n;
}

const DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/**
 * A number written in Arabic digits or Chinese numerals up to 九十九 (十二, 二十三, 两), as a string
 * without leading zeros; null when the text is not such a number.
 */
export function parseNumber(text: string): string | null {
  if (/^\d+$/.test(text)) return String(Number.parseInt(text, 10));
  if (text.length === 0 || text.length > 3) return null;
  const ten = text.indexOf('十');
  if (ten === -1) {
    if (text.length !== 1) return null;
    const d = DIGIT[text];
    return d === undefined ? null : String(d);
  }
  if (text.indexOf('十', ten + 1) !== -1) return null;
  const head = text.slice(0, ten);
  const tail = text.slice(ten + 1);
  const tens = head === '' ? 1 : DIGIT[head];
  const ones = tail === '' ? 0 : DIGIT[tail];
  if (tens === undefined || ones === undefined || head.length > 1 || tail.length > 1) return null;
  return String(tens * 10 + ones);
}
