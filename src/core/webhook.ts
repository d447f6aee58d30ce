import { createHmac, timingSafeEqual } from 'node:crypto';

// One recipe for every signed webhook dualgrid takes in (group messages) or sends (outbound, SMS gateway).

/** How far a signed request's timestamp may stray from our clock, either way. */
export const REPLAY_WINDOW_SECONDS = 300;

/** The signature recipe: hex HMAC-SHA256 of `${timestamp}.${rawBody}` under the source's secret. */
export function signWebhook(secret: string, timestamp: string, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
}

export type SignatureCheck = 'ok' | 'missing' | 'stale' | 'bad';

/** Checks a webhook request's headers against its raw body; constant-time on the signature itself. */
export function checkWebhook(secret: string, timestamp: string | undefined, signature: string | undefined, rawBody: string, nowMs: number): SignatureCheck {
  if (!timestamp || !signature) return 'missing';
  if (!/^\d{1,12}$/.test(timestamp)) return 'bad';
  if (Math.abs(Number(timestamp) - Math.floor(nowMs / 1000)) > REPLAY_WINDOW_SECONDS) return 'stale';
  if (!/^[0-9a-f]{64}$/i.test(signature)) return 'bad';
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody), 'hex');
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'bad';
}
