import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { HOUSEHOLD_SHARE } from '../src/core/demo/members.ts';
import type { AppDeps } from '../src/deps.ts';
import { DEMO_CHATTER_JOB, resumeDemoChatter } from '../src/modules/demo/demo.chatter.ts';
import { DEMO_PASSWORD } from '../src/modules/demo/demo.loader.ts';
import { createJobRunner } from '../src/modules/jobs/jobs.setup.ts';
import { body } from './helpers/app.ts';
import { useTestTown } from './helpers/town.ts';

interface GroupCoverage { groupId: number; groupName: string; members: number; realName: number; hasGridWorker: boolean; hasGridChief: boolean; covered: boolean; departments: unknown[] }
interface Message { id: number; groupId: number | null; senderName: string; memberId: number | null; text: string; actionable: boolean; score: number; urgent: boolean; state: string; via: string }

const chatterJobs = (deps: AppDeps) =>
  deps.db.selectFrom('jobs').select(['id', 'status', 'dedupe_key', 'run_at', 'payload']).where('kind', '=', DEMO_CHATTER_JOB).orderBy('id').execute();
const streamMessages = (deps: AppDeps) =>
  deps.db.selectFrom('group_messages').select(['id', 'external_msg_id', 'group_id', 'member_id', 'state']).where('external_msg_id', 'like', 'demo-chatter-%').orderBy('id').execute();
/** The runner of the app, at a moved clock; `off` runs it as an app copy with DUALGRID_DEMO_CHATTER=0. */
const runAt = (deps: AppDeps, at: Date, off = false) => createJobRunner(off ? { ...deps, config: { ...deps.config, demoChatter: false } } : deps).runDue(at);

describe('the alive demo: members in every group and a stream of group messages', () => {
  const t = useTestTown({ seed: 'demo', env: { DUALGRID_DEMO_CHATTER: '1' } });

  it('puts members in every group, so real-name and staff coverage are true and plausible', async () => {
    const admin = await t.login('admin', DEMO_PASSWORD);
    const res = await t.app.inject({ method: 'GET', url: '/api/online-groups/coverage', headers: admin });
    expect(res.statusCode).toBe(200);
    const { groups, towns } = body<{ groups: GroupCoverage[]; towns: { members: number; realName: number; staffCoverage: number; coveredGroups: number; groups: number }[] }>(res);
    expect(groups).toHaveLength(217);
    for (const g of groups) {
      expect(g.members, g.groupName).toBeGreaterThan(3);
      expect(g.realName, g.groupName).toBeGreaterThan(0);
      expect(g.realName, g.groupName).toBeLessThanOrEqual(g.members);
      expect({ name: g.groupName, worker: g.hasGridWorker, chief: g.hasGridChief, covered: g.covered }).toEqual({ name: g.groupName, worker: true, chief: true, covered: true });
    }
    const [town] = towns;
    expect(town).toMatchObject({ groups: 217, coveredGroups: 217, staffCoverage: 1 });
    // Real-name share: most members are linked, tenants and shop owners in nicknames are not.
    const share = (town?.realName ?? 0) / (town?.members ?? 1);
    expect(share).toBeGreaterThan(0.6);
    expect(share).toBeLessThan(0.97);
  });

  it('represents a realistic share of each residential grid’s registered households in its neighbourhood group', async () => {
    const { rows } = await sql<{ grid_id: number; registered: number; represented: number }>`
      select r.grid_id, count(distinct r.household_id)::int as registered,
        count(distinct r.household_id) filter (where exists (select 1 from group_members m join online_groups g on g.id = m.group_id
          where m.resident_id = r.id and g.grid_id = r.grid_id and m.left_at is null))::int as represented
      from residents r where r.household_id is not null group by r.grid_id`.execute(t.deps.db);
    expect(rows.length).toBeGreaterThan(100);
    const registered = rows.reduce((s, r) => s + r.registered, 0);
    const represented = rows.reduce((s, r) => s + r.represented, 0);
    expect(represented / registered).toBeGreaterThan(HOUSEHOLD_SHARE.min);
    expect(represented / registered).toBeLessThan(HOUSEHOLD_SHARE.max + 0.1);
    for (const r of rows) expect(r.represented, `grid ${r.grid_id}`).toBeGreaterThan(0);
    // A resident is linked at most once per group, and staff accounts are in groups of their own grid or community only.
    const { rows: twice } = await sql<{ n: number }>`select count(*)::int as n from (select group_id, resident_id from group_members where resident_id is not null
      group by group_id, resident_id having count(*) > 1) x`.execute(t.deps.db);
    expect(twice[0]?.n).toBe(0);
  });

  it('posts each run’s exchange through the signed webhook intake, sensed, into the message queue, and schedules the next run', async () => {
    const [first] = await chatterJobs(t.deps);
    expect(first).toMatchObject({ status: 'pending', dedupe_key: `${DEMO_CHATTER_JOB}:0` });
    if (!first) return;
    expect(await runAt(t.deps, new Date(first.run_at.getTime() - 1000))).toBe(0);
    expect(await runAt(t.deps, first.run_at)).toBeGreaterThanOrEqual(1);
    const posted = await streamMessages(t.deps);
    expect(posted.length).toBeGreaterThanOrEqual(1);
    expect(posted.length).toBeLessThanOrEqual(3);
    // Every message found its group and its sender among the group's members, as a platform's messages do.
    for (const m of posted) expect(m).toMatchObject({ group_id: expect.any(Number), member_id: expect.any(Number), state: 'new' });
    const jobs = await chatterJobs(t.deps);
    expect(jobs.map((j) => [j.dedupe_key, j.status])).toEqual([[`${DEMO_CHATTER_JOB}:0`, 'done'], [`${DEMO_CHATTER_JOB}:1`, 'pending']]);
    const pause = (jobs[1]?.run_at.getTime() ?? 0) - first.run_at.getTime();
    expect(pause).toBeGreaterThanOrEqual(20_000);
    expect(pause).toBeLessThanOrEqual(300_000);

    const centre = await t.login('centre1', DEMO_PASSWORD);
    const list = await t.app.inject({ method: 'GET', url: '/api/group-messages?limit=50', headers: centre });
    expect(list.statusCode).toBe(200);
    const items = body<{ items: Message[] }>(list).items.filter((m) => posted.some((p) => Number(p.id) === m.id));
    expect(items).toHaveLength(posted.length);
    for (const m of items) {
      expect(m).toMatchObject({ via: 'webhook', groupId: expect.any(Number), memberId: expect.any(Number), score: expect.any(Number), actionable: expect.any(Boolean), urgent: expect.any(Boolean) });
      expect(m.text.length).toBeGreaterThan(0);
    }
  });

  it('does not duplicate anything when a run is run again (at least once)', async () => {
    const before = await streamMessages(t.deps);
    const jobsBefore = await chatterJobs(t.deps);
    // A copy that posted and then died before its transaction committed: the same run comes back.
    await t.deps.db.updateTable('jobs').set({ status: 'pending' }).where('dedupe_key', '=', `${DEMO_CHATTER_JOB}:0`).execute();
    const zero = jobsBefore[0];
    if (!zero) throw new Error('no first run');
    expect(await runAt(t.deps, zero.run_at)).toBe(1);
    expect(await streamMessages(t.deps)).toEqual(before);
    expect((await chatterJobs(t.deps)).map((j) => [j.dedupe_key, j.status])).toEqual(jobsBefore.map((j) => [j.dedupe_key, j.status]));
  });

  it('keeps the stream going run after run: chatter, things to do, and the worker answering', async () => {
    for (let i = 0; i < 40; i++) {
      const next = (await chatterJobs(t.deps)).find((j) => j.status === 'pending');
      if (!next) throw new Error('the stream stopped');
      await runAt(t.deps, next.run_at);
    }
    const { rows } = await sql<{ n: number; actionable: number; groups: number; linked: number }>`
      select count(*)::int as n, count(*) filter (where actionable)::int as actionable, count(distinct group_id)::int as groups, count(member_id)::int as linked
      from group_messages where external_msg_id like 'demo-chatter-%'`.execute(t.deps.db);
    const f = rows[0];
    expect(f?.n).toBeGreaterThanOrEqual(41);
    expect(f?.groups).toBeGreaterThan(10);
    expect(f?.linked).toBe(f?.n);
    // What the sensor makes of the stream is its own business; some of it must read as something to do.
    expect(f?.actionable).toBeGreaterThan(0);
    expect(f?.actionable).toBeLessThan(f?.n ?? 0);
  });

  it('runs the stream beside the demo year with a runner that claims nothing else', async () => {
    const next = (await chatterJobs(t.deps)).find((j) => j.status === 'pending');
    if (!next) throw new Error('no pending run');
    // A deadline of the replay, due already: the stream's runner must leave it to the main runner.
    const other = await t.deps.db.insertInto('jobs').values({ kind: 'matter.remind', matter_id: null, run_at: new Date(next.run_at.getTime() - 60_000), payload: '{}', dedupe_key: 'alive-test-other' })
      .returning('id').executeTakeFirstOrThrow();
    expect(await createJobRunner(t.deps, { kinds: [DEMO_CHATTER_JOB] }).runDue(next.run_at)).toBe(1);
    expect(await t.deps.db.selectFrom('jobs').select(['status', 'attempts']).where('id', '=', other.id).executeTakeFirstOrThrow()).toEqual({ status: 'pending', attempts: 0 });
    await t.deps.db.deleteFrom('jobs').where('id', '=', other.id).execute();
  });

  it('posts nothing and stops when DUALGRID_DEMO_CHATTER is off', async () => {
    const before = (await streamMessages(t.deps)).length;
    const next = (await chatterJobs(t.deps)).find((j) => j.status === 'pending');
    if (!next) throw new Error('no pending run');
    expect(await runAt(t.deps, next.run_at, true)).toBe(1);
    expect((await streamMessages(t.deps)).length).toBe(before);
    expect((await chatterJobs(t.deps)).filter((j) => j.status === 'pending')).toEqual([]);
    expect(await runAt(t.deps, new Date(next.run_at.getTime() + 3_600_000))).toBe(0);
  });

  it('goes on from its next run when it is on again at a start, once', async () => {
    const off = { ...t.deps, config: { ...t.deps.config, demoChatter: false } };
    expect(await resumeDemoChatter(off)).toBe(false);
    const earlier = await chatterJobs(t.deps);
    const last = earlier.at(-1);
    expect(last?.status).toBe('done');
    const at = new Date(Date.now() + 7_200_000);
    expect(await resumeDemoChatter(t.deps, at)).toBe(true);
    expect(await resumeDemoChatter(t.deps, at)).toBe(false);
    const jobs = await chatterJobs(t.deps);
    expect(jobs).toHaveLength(earlier.length + 1);
    expect(jobs.at(-1)).toMatchObject({ status: 'pending', run_at: at, dedupe_key: `${DEMO_CHATTER_JOB}:${Number(last?.dedupe_key?.split(':')[1]) + 1}` });
    const before = (await streamMessages(t.deps)).length;
    expect(await runAt(t.deps, at)).toBe(1);
    expect((await streamMessages(t.deps)).length).toBeGreaterThan(before);
  });
});

describe('the demo town in tests', () => {
  const t = useTestTown({ seed: 'demo' });

  it('has its members and intake source but no message stream unless a test turns it on', async () => {
    expect(await chatterJobs(t.deps)).toEqual([]);
    const members = await t.deps.db.selectFrom('group_members').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    expect(members.n).toBeGreaterThan(2000);
    const source = await t.deps.db.selectFrom('intake_sources').select(['kind', 'name']).execute();
    expect(source).toEqual([{ kind: 'webhook', name: '演示群聊网关' }]);
  });
});
