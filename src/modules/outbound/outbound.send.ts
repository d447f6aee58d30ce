import { signWebhook } from '../../core/webhook.ts';

/** One request's outcome: ok, or the status (null when no answer came) and a short reason. */
export interface SendResult { ok: boolean; status: number | null; error: string | null; ms: number }

export interface SendTarget { kind: 'wecom_robot' | 'webhook'; url: string; secret: string | null }

/** A group robot or webhook that does not answer in 5 s is treated as down and tried again later. */
export const SEND_TIMEOUT_MS = 5_000;

/**
 * Posts one JSON body. A webhook is signed like the intake webhook: X-Dualgrid-Timestamp (Unix seconds) and
 * X-Dualgrid-Signature, hex HMAC-SHA256 of `${timestamp}.${body}`. A WeCom robot answers 200 with
 * { errcode, errmsg }, so a non-zero errcode is a failure too. Redirects are not followed.
 */
export async function send(target: SendTarget, body: Record<string, unknown>, deliveryId: number, now = new Date()): Promise<SendResult> {
  const started = Date.now();
  const raw = JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-dualgrid-delivery': String(deliveryId) };
  if (target.kind === 'webhook') {
    if (!target.secret) return { ok: false, status: null, error: 'NO_SECRET: a webhook target needs its signing secret', ms: 0 };
    const timestamp = String(Math.floor(now.getTime() / 1000));
    headers['x-dualgrid-timestamp'] = timestamp;
    headers['x-dualgrid-signature'] = signWebhook(target.secret, timestamp, raw);
  }
  let res: Response;
  try {
    res = await fetch(target.url, { method: 'POST', headers, body: raw, redirect: 'manual', signal: AbortSignal.timeout(SEND_TIMEOUT_MS) });
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    const why = name === 'TimeoutError' ? `TIMEOUT: no answer in ${SEND_TIMEOUT_MS / 1000} s` : `UNREACHABLE: ${errorText(err)}`;
    return { ok: false, status: null, error: why.slice(0, 500), ms: Date.now() - started };
  }
  const text = (await res.text().catch(() => '')).slice(0, 2000);
  const ms = Date.now() - started;
  if (res.status < 200 || res.status >= 300) return { ok: false, status: res.status, error: `HTTP_${res.status}: ${text.slice(0, 200)}`, ms };
  if (target.kind === 'wecom_robot') {
    const errcode = wecomErrcode(text);
    if (errcode !== 0) return { ok: false, status: res.status, error: `WECOM_${errcode ?? 'BAD_ANSWER'}: ${text.slice(0, 200)}`, ms };
  }
  return { ok: true, status: res.status, error: null, ms };
}

/** The errcode of a WeCom answer, or null when the answer is not WeCom's JSON. */
function wecomErrcode(text: string): number | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && 'errcode' in parsed && typeof parsed.errcode === 'number') return parsed.errcode;
  } catch {
    // not JSON: reported below as a bad answer
  }
  return null;
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // fetch wraps the socket error (ECONNREFUSED, ENOTFOUND …) as its cause.
  const cause = err.cause instanceof Error ? err.cause.message : '';
  return cause ? `${err.message} (${cause})` : err.message;
}
