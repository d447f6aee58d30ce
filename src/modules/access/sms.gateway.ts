import { AppError } from '../../core/errors.ts';
import { signWebhook } from '../../core/webhook.ts';

/** What the SMS gateway receives: the number, the code and a ready-made text, in JSON. */
export interface SmsMessage {
  kind: 'login_code';
  phone: string;
  code: string;
  expiresInSeconds: number;
  text: string;
}

const TIMEOUT_MS = 10_000;

/**
 * Posts a message to the configured SMS webhook (the town's own gateway or an adapter in front of a carrier's
 * API), signed with X-Dualgrid-Timestamp (Unix seconds) and X-Dualgrid-Signature. A refusal or no answer is
 * SMS_SEND_FAILED; the caller stores nothing then.
 */
export async function sendSms(url: string, secret: string, message: SmsMessage, now = new Date()): Promise<void> {
  const body = JSON.stringify(message);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-dualgrid-timestamp': timestamp, 'x-dualgrid-signature': signWebhook(secret, timestamp, body) },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    throw new AppError('SMS_SEND_FAILED', undefined, { reason: (e as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable' });
  }
  // Drain the body so the connection is released.
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new AppError('SMS_SEND_FAILED', undefined, { reason: 'refused', status: res.status });
}
