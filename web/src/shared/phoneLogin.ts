import { onBeforeUnmount, ref, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRoute, useRouter } from 'vue-router';
import { ApiError, api, unwrap } from '../api/client.ts';
import type { Ok } from '../api/types.ts';
import { errorText, MOBILE, useFieldCheck, validateAll } from './errors.ts';
import { session } from './session.ts';

type CodeSent = Ok<'/api/auth/phone/code', 'post'>;

/**
 * Signing in with a phone number and the code sent to it (the resident's /r/login, the keeper's /shop/login): the
 * fields with their checks, the resend countdown, the demo code, and where to go after. `messages` is the i18n block of
 * the page (resident.login, merchant.login); `home` is the area a `next` query may point into.
 */
export function usePhoneLogin(messages: 'resident.login' | 'merchant.login', home: '/r' | '/shop') {
  const { t } = useI18n();
  const m = (key: string, args?: Record<string, unknown>) => t(`${messages}.${key}`, args ?? {});
  const route = useRoute();
  const router = useRouter();
  const phone = ref('');
  const code = ref('');
  const sent = ref<CodeSent | null>(null);
  const wait = ref(0);
  const sending = ref(false);
  const busy = ref(false);
  const error = ref('');
  /** The number is a staff account's: it signs in with the username and password instead. */
  const staff = ref(false);
  let timer: ReturnType<typeof setInterval> | null = null;

  // A refusal of what was sent goes once the number or the code is edited.
  watch([phone, code], () => { error.value = ''; staff.value = false; });
  // Each field's message sits under it and clears as soon as the value is right.
  const phoneCheck = useFieldCheck(() => phone.value, { label: () => m('phone'), required: true, pattern: MOBILE, message: () => m('badPhone') });
  const codeCheck = useFieldCheck(() => code.value, { label: () => m('code'), required: true, pattern: /^\d{6}$/, message: () => m('badCode') });

  function countdown(seconds: number) {
    wait.value = seconds;
    if (timer) clearInterval(timer);
    timer = setInterval(() => {
      wait.value -= 1;
      if (wait.value <= 0 && timer) { clearInterval(timer); timer = null; }
    }, 1000);
  }
  onBeforeUnmount(() => { if (timer) clearInterval(timer); });

  const retryAfter = (e: ApiError) => Number((e.details as { retryAfterSeconds?: number } | null)?.retryAfterSeconds ?? 60);

  async function sendCode() {
    error.value = '';
    staff.value = false;
    if (!phoneCheck.validate()) return;
    sending.value = true;
    try {
      const got = await unwrap(api.POST('/api/auth/phone/code', { body: { phone: phone.value.trim() } }));
      sent.value = got;
      countdown(got.resendAfterSeconds);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'RATE_LIMITED') {
        countdown(retryAfter(e));
        error.value = m('wait', { s: retryAfter(e) });
      } else error.value = m('failed', { e: errorText(e) });
    } finally {
      sending.value = false;
    }
  }

  async function submit() {
    error.value = '';
    staff.value = false;
    if (!validateAll(phoneCheck, codeCheck)) return;
    busy.value = true;
    try {
      await unwrap(api.POST('/api/auth/phone/verify', { body: { phone: phone.value.trim(), code: code.value.trim() } }));
      await session.load(true);
      const next = typeof route.query.next === 'string' && route.query.next.startsWith(home) ? route.query.next : home;
      await router.replace(next);
    } catch (e) {
      if (!(e instanceof ApiError)) error.value = m('failed', { e: errorText(e) });
      else if (e.code === 'PHONE_CODE_INVALID') error.value = m('wrong', { n: Number((e.details as { triesLeft?: number } | null)?.triesLeft ?? 0) });
      else if (e.code === 'PHONE_CODE_EXPIRED') error.value = m('expired');
      else if (e.code === 'PHONE_CODE_LOCKED') error.value = m('locked');
      else if (e.status === 403) { error.value = m('staff'); staff.value = true; }
      else error.value = m('failed', { e: errorText(e) });
    } finally {
      busy.value = false;
    }
  }

  return { phone, code, sent, wait, sending, busy, error, staff, phoneCheck, codeCheck, sendCode, submit };
}
