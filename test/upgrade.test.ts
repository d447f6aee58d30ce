import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { seedReferenceData } from '../src/db/seed.ts';
import { DEMO_PASSWORD } from '../src/modules/demo/demo.loader.ts';
import { appliedMigrations, tableCounts } from '../src/modules/maintenance/maintenance.repository.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';
import { adminQuery, testEngine, withDatabase } from './helpers/engine.ts';
import { Actor } from './helpers/matters.ts';

// The upgrade test: a database made by the previous landed release (c1dc3ee: the demo town and a short demo year,
// loaded by that release's own code on PostgreSQL and dumped as plain SQL by scripts/make-upgrade-fixture.sh) is
// loaded on the engine under test, migrated by this code as `dualgrid serve` does at start, and then a matter walks
// the whole loop through the API while everything that was there before is still there.
const RELEASE = 'c1dc3ee';
const FIXTURE = new URL(`./data/upgrade/${RELEASE}.sql.gz`, import.meta.url);
/** The fixture's PII key: public, for invented numbers (see the script). */
const FIXTURE_KEY = Buffer.from('ZHVhbGdyaWQtdXBncmFkZS1maXh0dXJlLWtleS0wMDE=', 'base64');
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe(`upgrade from release ${RELEASE} (${testEngine})`, () => {
  const dirs: string[] = [];
  let dropDatabase: (() => Promise<void>) | null = null;
  let database: Database;
  let app: TestApp;
  let release: string[] = [];
  let applied: string[] = [];
  let before: Record<string, number> = {};

  /** Executes the dump as the release left it: many statements in one simple query (PGlite's exec, pg's query). */
  async function loadFixture(): Promise<Database> {
    const dump = gunzipSync(readFileSync(FIXTURE)).toString('utf8');
    if (testEngine === 'pglite') {
      const dir = await mkdtemp(join(tmpdir(), 'dualgrid-upgrade-'));
      dirs.push(dir);
      const loader = await PGlite.create({ dataDir: dir });
      await loader.exec(dump);
      // The dump empties search_path for its own session; the app's sessions start afresh.
      await loader.close();
      return openDatabase({ databaseUrl: null, pgliteDir: dir });
    }
    const name = `dualgrid_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    await adminQuery(`create database ${name}`);
    dropDatabase = () => adminQuery(`drop database if exists ${name} with (force)`);
    const url = withDatabase(serverUrl, name);
    const loader = new pg.Client({ connectionString: url });
    await loader.connect();
    try {
      await loader.query(dump);
    } finally {
      await loader.end();
    }
    return openDatabase({ databaseUrl: url, pgliteDir: null, poolSize: 5 });
  }

  beforeAll(async () => {
    database = await loadFixture();
    release = await appliedMigrations(database.db);
    before = await tableCounts(database.db);
    // What openDeps does at every start.
    applied = await migrateToLatest(database.db);
    await seedReferenceData(database.db);
    const filesDir = await mkdtemp(join(tmpdir(), 'dualgrid-upgrade-files-'));
    dirs.push(filesDir);
    const handle = { ...database, url: null, destroy: () => database.close(), reopen: () => Promise.reject(new Error('not reopened here')) };
    app = await createTestApp({ database: handle, filesDir, piiKey: FIXTURE_KEY });
  });

  afterAll(async () => {
    await app?.close();
    await database?.close().catch(() => undefined);
    await dropDatabase?.();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('applies this code’s newer migrations to the release’s database and keeps every row of every table', async () => {
    expect(release).toHaveLength(10);
    expect(release.at(-1)).toBe('2026_12_01_0010_photo_lookups');
    expect(applied.length).toBeGreaterThan(0);
    expect(await appliedMigrations(database.db)).toEqual([...release, ...applied]);
    const after = await tableCounts(database.db);
    for (const table of ['nodes', 'users', 'residents', 'households', 'role_assignments', 'online_groups', 'matters', 'matter_events', 'audit_log']) {
      expect(before[table], table).toBeGreaterThan(0);
    }
    const kept = Object.keys(before).filter((table) => table in after && table !== 'kysely_migration');
    expect(Object.fromEntries(kept.map((table) => [table, after[table]]))).toEqual(Object.fromEntries(kept.map((table) => [table, before[table]])));
    expect(after.kysely_migration).toBe(release.length + applied.length);
  });

  it('serves what the release stored: password sign-in, old matters with their public page, revealed numbers', async () => {
    const centre = await Actor.as(app.app, 'centre1', DEMO_PASSWORD);
    const oldest = await database.db.selectFrom('matters').select(['id', 'status']).orderBy('id').limit(1).executeTakeFirstOrThrow();
    const detail = await centre.matter(oldest.id);
    expect(detail.status).toBe(oldest.status);
    expect(detail.timeline.length).toBeGreaterThan(0);
    const pub = await app.app.inject({ method: 'GET', url: `/api/public/matters/${detail.publicCode}` });
    expect(pub.statusCode).toBe(200);

    const admin = await Actor.as(app.app, 'admin', DEMO_PASSWORD);
    const resident = await database.db.selectFrom('residents').select(['id', 'phone_masked']).where('phone_enc', 'is not', null).orderBy('id').limit(1).executeTakeFirstOrThrow();
    const revealed = await admin.ok<{ phone: string }>('POST', `/api/residents/${resident.id}/reveal`, { fields: ['phone'], reason: '升级后核对' });
    expect(revealed.phone.slice(0, 3)).toBe(resident.phone_masked?.slice(0, 3));
    expect(revealed.phone.slice(-4)).toBe(resident.phone_masked?.slice(-4));
  });

  it('walks a new matter through the loop with the release’s accounts: report, register, dispatch, handle, feed back, rate', async () => {
    const db = database.db;
    const mattersBefore = before.matters ?? 0;
    // The demo resident's grid, its grid worker and the community staff above it, as the release stored them.
    const home = await db.selectFrom('role_assignments as a').innerJoin('users as u', 'u.id', 'a.user_id').innerJoin('nodes as n', 'n.id', 'a.node_id')
      .select(['n.id', 'n.parent_id']).where('u.username', '=', 'resident1').where('a.role', '=', 'resident').executeTakeFirstOrThrow();
    const staffOf = (role: 'grid_worker' | 'community_staff', nodeId: number | null) =>
      db.selectFrom('role_assignments as a').innerJoin('users as u', 'u.id', 'a.user_id').select('u.username')
        .where('a.role', '=', role).where('a.node_id', '=', nodeId ?? 0).orderBy('u.id').limit(1).executeTakeFirstOrThrow();
    const citizen = await Actor.as(app.app, 'resident1', DEMO_PASSWORD);
    const worker = await Actor.as(app.app, (await staffOf('grid_worker', home.id)).username, DEMO_PASSWORD);
    const community = await Actor.as(app.app, (await staffOf('community_staff', home.parent_id)).username, DEMO_PASSWORD);

    const reported = await citizen.ok<{ id: number; status: string }>('POST', '/api/matters', {
      source: 'resident_report', channel: 'phone', location: { nodeId: home.id }, description: '升级以后：家里厨房水龙头坏了，一直滴水',
    });
    expect(reported.status).toBe('reported');
    const id = reported.id;
    expect((await community.step(id, 'register', { categoryCode: 'S03002', scope: 'household', complexity: 'simple' })).status).toBe('registered');
    expect((await community.step(id, 'dispatch', { lead: { kind: 'node', id: home.id } })).status).toBe('dispatched');
    expect((await worker.step(id, 'accept')).status).toBe('handling');
    expect((await worker.step(id, 'handle', { note: '更换水龙头阀芯', photos: [] })).status).toBe('handled');
    expect((await community.step(id, 'verify', { passed: true, note: '已回访确认' })).status).toBe('feedback');
    const closed = await citizen.step(id, 'rate', { satisfaction: 'satisfied', comment: '修得很快' });
    expect(closed).toMatchObject({ status: 'closed', stage: 5, satisfaction: 'satisfied' });

    const detail = await community.matter(id);
    expect(detail.timeline.map((e) => e.action)).toEqual(['report', 'register', 'dispatch', 'accept', 'handle', 'verify_pass', 'rate_ok']);
    const pub = await app.app.inject({ method: 'GET', url: `/api/public/matters/${detail.publicCode}` });
    expect(pub.json().stages.map((s: { reached: boolean }) => s.reached)).toEqual([true, true, true, true, true, true]);
    const now = await tableCounts(db);
    expect(now.matters).toBe(mattersBefore + 1);
    expect(now.users).toBe(before.users);
    expect(now.residents).toBe(before.residents);
  });
});
