import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { buildGroupMembers, type StaffRole } from '../../core/demo/members.ts';
import { Rng, type SeedLike } from '../../core/prng.ts';
import type { Config } from '../../config.ts';
import type { DB } from '../../db/schema.ts';
import { insertSource } from '../online/intake.repository.ts';
import { groupStaff, insertMembers, residentsWithDwelling, townGroups } from './alive.repository.ts';
import { DEMO_CHATTER_JOB, enqueueChatter } from './demo.chatter.ts';
import { allDepartments } from './demo.repository.ts';

/** The intake source the demo's chat gateway posts through (a signed webhook, like a real platform's bridge). */
export const DEMO_SOURCE_NAME = '演示群聊网关';
/** The first exchange comes this long after the load: after the demo year's end, so its replay never runs the stream. */
const FIRST_RUN_MS = 20_000;

/**
 * Makes the demo town's online groups alive, in the load's transaction: members in every group (residents by real
 * name, the grid's staff, the serving departments), the demo's webhook intake source, and — unless
 * DUALGRID_DEMO_CHATTER is off — the first run of the message stream (job `demo.chatter`).
 */
export async function loadDemoGroups(trx: Kysely<DB>, config: Pick<Config, 'demoChatter'>, seed: SeedLike, now = new Date()) {
  const [groups, residents, staff, departments] = await Promise.all([townGroups(trx), residentsWithDwelling(trx), groupStaff(trx), allDepartments(trx)]);
  const members = buildGroupMembers(new Rng(`${seed}/members`), {
    groups: groups.map((g) => ({ id: g.id, gridId: g.grid_id, communityId: g.parent_id, gridKind: g.kind, name: g.name })),
    residents: residents.map((r) => ({
      id: r.id, gridId: r.grid_id, householdId: r.household_id, name: r.name, birthDate: r.birth_date, userId: r.user_id, building: r.building, unit: r.unit, room: r.room,
    })),
    // The query keeps only these roles; the role column's type is the whole vocabulary.
    staff: staff.map((s) => ({ userId: s.user_id, username: s.username, name: s.display_name, role: s.role as StaffRole, nodeId: s.node_id, departmentId: s.department_id })),
    departments: departments.map((d) => ({ id: d.id, name: d.name, jointDutyType: d.joint_duty_type })),
  }, now);
  await insertMembers(trx, members.map((m) => ({
    group_id: m.groupId, external_user_id: m.externalUserId, display_name: m.displayName, resident_id: m.residentId, user_id: m.userId, joined_at: m.joinedAt,
  })));
  const source = await insertSource(trx, { kind: 'webhook', name: DEMO_SOURCE_NAME, secret: randomBytes(32).toString('hex'), token: null, aes_key: null, corp_id: null });
  if (config.demoChatter) await enqueueChatter(trx, { sourceId: source.id, seed: typeof seed === 'bigint' ? String(seed) : seed, counter: 0 }, new Date(now.getTime() + FIRST_RUN_MS));
  return { members: members.length, realName: members.filter((m) => m.residentId !== null || m.userId !== null).length, sourceId: source.id, chatter: config.demoChatter ? DEMO_CHATTER_JOB : null };
}
