import { computed, type ComputedRef, ref } from 'vue';
import { ApiError } from '../api/client.ts';
import { i18n } from '../i18n/index.ts';

const CJK = /[\u4e00-\u9fff]/;
const t = (key: string, params: Record<string, unknown> = {}) => i18n.global.t(key, params);
const zh = () => i18n.global.locale.value !== 'en';

/** Words for what went wrong when the server's own message cannot be shown (it is missing or not in the reader's language). */
function byStatus(status: number): string {
  if (status === 401) return t('common.errors.unauthenticated');
  if (status === 403) return t('common.errors.forbidden');
  if (status === 404) return t('common.errors.notFound');
  if (status >= 500) return t('common.errors.server');
  return t('common.errors.generic');
}

/**
 * The one sentence a page shows for a failure, in the page's language. The server answers in the language the
 * client asked for (Accept-Language, set in api/client.ts), so its message is shown as it is; a page may give its
 * own words for some codes (`own`). No connection → the offline text; an error of the page itself → a plain
 * apology, never a JavaScript message in English.
 */
export function errorText(e: unknown, own: Partial<Record<string, string>> = {}): string {
  if (e instanceof ApiError) {
    if (e.status === 0 || e.code === 'NETWORK') return own.NETWORK ?? t('common.errors.network');
    const mine = own[e.code];
    if (mine) return mine;
    const said = e.message && (!zh() || CJK.test(e.message)) ? e.message : byStatus(e.status);
    const requestId = e.code === 'INTERNAL' ? (e.details as { requestId?: unknown } | null)?.requestId : undefined;
    return typeof requestId === 'string' ? said + t('common.errors.requestId', { id: requestId }) : said;
  }
  const message = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
  return message && (!zh() || CJK.test(message)) && !(e instanceof TypeError) ? message : t('common.errors.unexpected');
}

export interface FieldRule {
  /** What the field is called on the page (a translated label), named in every message. */
  label: () => string;
  required?: boolean;
  /** A choice rather than typed text: "请选择…" instead of "请写上…". */
  pick?: boolean;
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** The message for a value the pattern refuses; default "<label>填得不对". */
  patternMessage?: () => string;
  /** One sentence for any problem of this field, instead of the generic ones. */
  message?: () => string;
  /** Further checks: a message, or '' when the value is fine. */
  check?: (value: string) => string;
}

type Value = string | number | null | undefined | readonly unknown[];

/** The message for a value under a rule, or '' when it is fine. */
export function fieldProblem(value: Value, rule: FieldRule): string {
  const problem = genericProblem(value, rule);
  return problem && rule.message ? rule.message() : problem;
}

function genericProblem(value: Value, rule: FieldRule): string {
  const f = rule.label();
  if (Array.isArray(value)) return rule.required && value.length === 0 ? t('common.errors.pick', { f }) : '';
  const text = value === null || value === undefined ? '' : String(value).trim();
  if (!text) return rule.required ? t(rule.pick ? 'common.errors.pick' : 'common.errors.required', { f }) : '';
  const length = [...text].length;
  if (rule.min !== undefined && length < rule.min) return t('common.errors.tooShort', { f, n: rule.min });
  if (rule.max !== undefined && length > rule.max) return t('common.errors.tooLong', { f, n: rule.max });
  if (rule.pattern && !rule.pattern.test(text)) return rule.patternMessage?.() ?? t('common.errors.format', { f });
  return rule.check?.(text) ?? '';
}

export interface FieldCheck {
  /** The message to show now: empty until the first validate(), then live, so it clears as soon as the value is fine. */
  message: ComputedRef<string>;
  /** Shows the field's message from now on; true when the value is fine. */
  validate(): boolean;
  /** Hides the message again (a form opened afresh). */
  reset(): void;
}

/**
 * A field's client-side check, for Vant (`:error-message="c.message.value"`) and Element Plus
 * (`<ElFormItem :error="c.message.value">`) alike: the message names the field in the page's language and follows
 * the value as it changes, so a stale message never outlives the mistake.
 */
export function useFieldCheck(value: () => Value, rule: FieldRule): FieldCheck {
  const shown = ref(false);
  const problem = computed(() => fieldProblem(value(), rule));
  return {
    message: computed(() => (shown.value ? problem.value : '')),
    validate() {
      shown.value = true;
      return problem.value === '';
    },
    reset() {
      shown.value = false;
    },
  };
}

/** Validates every check (each shows its message) and tells whether all passed. */
export const validateAll = (...checks: FieldCheck[]): boolean => checks.map((c) => c.validate()).every(Boolean);

/** A mainland mobile number, as the server checks it (src/core/pii.ts). */
export const MOBILE = /^1[3-9]\d{9}$/;
