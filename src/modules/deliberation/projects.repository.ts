import type { Kysely } from 'kysely';
import type { ProjectPhotoStage } from '../../core/vocabulary.ts';
import type { DB } from '../../db/schema.ts';

/** Implementation projects (实施项目) of decided topics: milestones, owner departments, photos and the matters they sent. */

export type ProjectRow = NonNullable<Awaited<ReturnType<typeof projectOfTopic>>>;

export const projectOfTopic = (db: Kysely<DB>, topicId: number) =>
  db.selectFrom('deliberation_projects').selectAll().where('topic_id', '=', topicId).executeTakeFirst();
export const getProject = (db: Kysely<DB>, id: number) => db.selectFrom('deliberation_projects').selectAll().where('id', '=', id).executeTakeFirst();
export const lockProject = (db: Kysely<DB>, id: number) => db.selectFrom('deliberation_projects').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const insertProject = (db: Kysely<DB>, row: { topicId: number; planId: number | null; title: string; at: Date }) =>
  db.insertInto('deliberation_projects').values({ topic_id: row.topicId, plan_id: row.planId, title: row.title, started_at: row.at }).returning('id').executeTakeFirstOrThrow();
export const completeProject = (db: Kysely<DB>, id: number, at: Date) =>
  db.updateTable('deliberation_projects').set({ status: 'completed', completed_at: at }).where('id', '=', id).execute();

export const insertDepartments = (db: Kysely<DB>, projectId: number, ids: number[]) =>
  ids.length ? db.insertInto('project_departments').values(ids.map((d) => ({ project_id: projectId, department_id: d }))).execute() : Promise.resolve([]);
export const departmentIdsOf = async (db: Kysely<DB>, projectId: number) =>
  (await db.selectFrom('project_departments').select('department_id').where('project_id', '=', projectId).execute()).map((r) => r.department_id);

export const insertMilestones = (db: Kysely<DB>, projectId: number, rows: Array<{ title: string; weight: number; dueOn: string | null }>) =>
  rows.length ? db.insertInto('project_milestones').values(rows.map((m, i) => ({ project_id: projectId, position: i, title: m.title, weight: m.weight, due_on: m.dueOn }))).execute() : Promise.resolve([]);
export const lockMilestone = (db: Kysely<DB>, id: number) => db.selectFrom('project_milestones').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
export const setMilestoneProgress = (db: Kysely<DB>, id: number, progress: number, doneAt: Date | null) =>
  db.updateTable('project_milestones').set({ progress, done_at: doneAt }).where('id', '=', id).execute();
export const milestonesOf = (db: Kysely<DB>, projectId: number) =>
  db.selectFrom('project_milestones').selectAll().where('project_id', '=', projectId).orderBy('position').execute();

/** Photos go after the project's others; a photo already on the project is kept where it was. */
export async function insertPhotos(db: Kysely<DB>, projectId: number, stage: ProjectPhotoStage, hashes: string[]) {
  if (!hashes.length) return;
  const last = await db.selectFrom('project_photos').select((eb) => eb.fn.max('position').as('p')).where('project_id', '=', projectId).executeTakeFirst();
  const start = (last?.p ?? -1) + 1;
  await db.insertInto('project_photos').values(hashes.map((h, i) => ({ project_id: projectId, file_hash: h, stage, position: start + i })))
    .onConflict((oc) => oc.columns(['project_id', 'file_hash']).doNothing()).execute();
}

export const linkMatter = (db: Kysely<DB>, projectId: number, matterId: number) =>
  db.insertInto('project_matters').values({ project_id: projectId, matter_id: matterId }).execute();
export const projectOfMatter = (db: Kysely<DB>, matterId: number) =>
  db.selectFrom('project_matters as pm').innerJoin('deliberation_projects as p', 'p.id', 'pm.project_id')
    .select(['p.id', 'p.topic_id', 'p.title', 'p.status']).where('pm.matter_id', '=', matterId).executeTakeFirst();

/** Everything a project shows, in one round of queries. */
export async function projectDetails(db: Kysely<DB>, projectId: number) {
  const [departments, milestones, photos, matters] = await Promise.all([
    db.selectFrom('project_departments as p').innerJoin('departments as d', 'd.id', 'p.department_id').select(['d.id', 'd.name'])
      .where('p.project_id', '=', projectId).orderBy('d.id').execute(),
    milestonesOf(db, projectId),
    db.selectFrom('project_photos').select(['file_hash', 'stage']).where('project_id', '=', projectId).orderBy('position').execute(),
    db.selectFrom('project_matters as pm').innerJoin('matters as m', 'm.id', 'pm.matter_id')
      .select(['m.id', 'm.code', 'm.title', 'm.status', 'm.reported_at', 'm.closed_at']).where('pm.project_id', '=', projectId).orderBy('m.id').execute(),
  ]);
  return { departments, milestones, photos, matters };
}
