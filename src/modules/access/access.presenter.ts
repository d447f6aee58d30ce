import type { Actor } from '../../core/scope.ts';

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
