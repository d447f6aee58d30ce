import type { Selectable } from 'kysely';
import type { NoticesTable } from '../../db/schema.ts';

export const presentNotice = (n: Selectable<NoticesTable>) => ({
  id: n.id, matterId: n.matter_id, kind: n.kind, body: n.body, createdAt: n.created_at.toISOString(), readAt: n.read_at?.toISOString() ?? null,
});
