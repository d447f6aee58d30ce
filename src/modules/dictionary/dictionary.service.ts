import type { z } from 'zod';
import { AppError, notFound } from '../../core/errors.ts';
import type { RequestContext } from '../../core/scope.ts';
import { suggestTriage } from '../../core/triage/suggest.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import * as calendar from '../calendar/calendar.repository.ts';
import { toSeedShape } from '../matters/matters.service.ts';
import { assertMayEditDictionary } from './dictionary.policy.ts';
import * as repo from './dictionary.repository.ts';
import type * as s from './dictionary.schema.ts';

type CategoryInput = Partial<z.infer<typeof s.categoryBody>> & { status?: 'active' | 'retired' };
const columns = (b: CategoryInput) => ({
  major: b.major, name: b.name, default_level: b.defaultLevel, scope: b.scope, complexity: b.complexity, lead_board: b.leadBoard, lead_post: b.leadPost,
  lead_joint_duty: b.leadJointDuty, assist_joint_duty: b.assistJointDuty ? JSON.stringify(b.assistJointDuty) : undefined,
  deadline_amount: b.deadline?.amount, deadline_unit: b.deadline?.unit, urgent: b.urgent, keywords: b.keywords ? JSON.stringify(b.keywords) : undefined, status: b.status,
});

/** The category dictionary (two catalogues) and the holiday calendar: shared data, read by all, edited by administrators. */
export class DictionaryService {
  constructor(private readonly deps: AppDeps) {}

  categories(all: boolean) {
    return repo.listCategories(this.deps.db, all);
  }

  /** Suggests categories for free text with the same scoring as triage; answers the rows it scored against too. */
  async suggest(text: string) {
    const rows = await repo.listCategories(this.deps.db);
    return { suggestion: suggestTriage(text, rows.map(toSeedShape)), rows };
  }

  async createCategory(ctx: RequestContext, b: z.infer<typeof s.categoryBody>) {
    assertMayEditDictionary(ctx.actor);
    return this.deps.db.transaction().execute(async (trx) => {
      if (await repo.categoryExists(trx, b.code)) throw new AppError('CONFLICT', `Category ${b.code} exists.`);
      const created = await repo.insertCategory(trx, {
        code: b.code, catalogue: b.catalogue, major: b.major, name: b.name, default_level: b.defaultLevel, scope: b.scope, complexity: b.complexity,
        lead_board: b.leadBoard, lead_post: b.leadPost, lead_joint_duty: b.leadJointDuty, assist_joint_duty: JSON.stringify(b.assistJointDuty),
        deadline_amount: b.deadline.amount, deadline_unit: b.deadline.unit, urgent: b.urgent, keywords: JSON.stringify(b.keywords),
      });
      await appendAudit(trx, ctx, { action: 'category.create', subjectType: 'category', subjectId: b.code });
      return created;
    });
  }

  async updateCategory(ctx: RequestContext, code: string, patch: z.infer<typeof s.categoryPatch>) {
    assertMayEditDictionary(ctx.actor);
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await repo.updateCategory(trx, code, columns(patch));
      if (!row) throw notFound(`Category ${code}`);
      await appendAudit(trx, ctx, { action: 'category.update', subjectType: 'category', subjectId: code, details: { fields: Object.keys(patch) } });
      return row;
    });
  }

  calendarYear(year: number) {
    return calendar.daysBetween(this.deps.db, `${year}-01-01`, `${year}-12-31`);
  }

  async setDay(ctx: RequestContext, day: string, body: z.infer<typeof s.dayBody>) {
    assertMayEditDictionary(ctx.actor);
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await calendar.upsertDay(trx, { day, kind: body.kind, name: body.name });
      await appendAudit(trx, ctx, { action: 'calendar.set', subjectType: 'calendar_day', subjectId: day, details: { ...body } });
      return row;
    });
  }

  async clearDay(ctx: RequestContext, day: string) {
    assertMayEditDictionary(ctx.actor);
    await this.deps.db.transaction().execute(async (trx) => {
      await calendar.deleteDay(trx, day);
      await appendAudit(trx, ctx, { action: 'calendar.clear', subjectType: 'calendar_day', subjectId: day });
    });
  }
}
