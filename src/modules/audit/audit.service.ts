import type { z } from 'zod';
import { cursorId, page } from '../../core/cursor.ts';
import type { RequestContext } from '../../core/scope.ts';
import type { AppDeps } from '../../deps.ts';
import { assertMayReadAudit } from './audit.policy.ts';
import { listAudit } from './audit.repository.ts';
import type { auditQuery } from './audit.schema.ts';

/** Reading the audit trail, newest first, one keyset page at a time. */
export class AuditService {
  constructor(private readonly deps: AppDeps) {}

  async list(ctx: RequestContext, q: z.infer<typeof auditQuery>) {
    assertMayReadAudit(ctx.actor);
    const before = cursorId(q.cursor);
    return page(await listAudit(this.deps.db, { ...q, before }), q.limit, (r) => [r.id]);
  }
}
