import { mask } from '../../core/pii.ts';
import type { Actor } from '../../core/scope.ts';
import { CODE_TTL_SECONDS, RESEND_SECONDS } from './phone-codes.ts';

export function presentMe(actor: Actor) {
  return {
    userId: actor.userId,
    username: actor.username,
    displayName: actor.displayName,
    via: actor.via,
    assignments: actor.assignments.map(({ nodePath: _path, ...a }) => a),
  };
}

export const presentToken = (t: { id: number; name: string; created_at: Date; last_used_at?: Date | null }) => ({
  id: t.id,
  name: t.name,
  createdAt: t.created_at.toISOString(),
  lastUsedAt: t.last_used_at ? t.last_used_at.toISOString() : null,
});

/** A sent sign-in code: the number masked, and the code itself only in demo SMS mode (no gateway to send it). */
export const presentCodeSent = (sent: { phone: string; mode: 'webhook' | 'demo'; code: string }) => ({
  phone: mask('phone', sent.phone), mode: sent.mode, expiresInSeconds: CODE_TTL_SECONDS, resendAfterSeconds: RESEND_SECONDS,
  ...(sent.mode === 'demo' ? { demoCode: sent.code } : {}),
});
