import type { Kysely } from 'kysely';
import { CHINA_CALENDAR_DAYS } from '../core/calendar/china-holidays.ts';
import { CATEGORY_SEED } from '../core/categories/catalogue.ts';
import type { DB } from './schema.ts';

/**
 * Reference data every install starts with and administrators then edit: the category dictionary and
 * China's holiday calendar. Seeded only into empty tables, so edits are never overwritten.
 */
export async function seedReferenceData(db: Kysely<DB>): Promise<void> {
  const hasCategory = await db.selectFrom('categories').select('id').limit(1).executeTakeFirst();
  if (!hasCategory) {
    await db.insertInto('categories').values(CATEGORY_SEED.map((c) => ({
      code: c.code, catalogue: c.catalogue, major: c.major, name: c.name, default_level: c.defaultLevel, scope: c.scope, complexity: c.complexity,
      lead_board: c.leadBoard, lead_post: c.leadPost, lead_joint_duty: c.leadJointDuty, assist_joint_duty: JSON.stringify(c.assistJointDuty),
      deadline_amount: c.deadline.amount, deadline_unit: c.deadline.unit, urgent: c.urgent, keywords: JSON.stringify(c.keywords),
    }))).execute();
  }
  const hasDay = await db.selectFrom('calendar_days').select('day').limit(1).executeTakeFirst();
  if (!hasDay) {
    await db.insertInto('calendar_days').values(CHINA_CALENDAR_DAYS.map((d) => ({ day: d.date, kind: d.kind, name: d.name })))
      .onConflict((oc) => oc.column('day').doNothing()).execute();
  }
}
