import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { auditRoutes } from './audit.routes.ts';
import { AuditService } from './audit.service.ts';

/** Reading the audit trail; every area writes it through appendAudit in its own transactions. */
export async function auditModule(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(auditRoutes(new AuditService(deps)));
}
