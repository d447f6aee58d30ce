import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt } from '../../src/build/pages.build.ts';
import { loadConfig } from '../../src/config.ts';
import { PiiVault } from '../../src/core/pii.ts';
import { embeddedDir, openDatabase } from '../../src/db/database.ts';
import type { AppDeps } from '../../src/deps.ts';
import { insertGroup } from '../../src/modules/structure/structure.repository.ts';
import { createTestDatabase, type TestDatabase, testEngine } from '../helpers/engine.ts';
import { PASSWORD, type SeededTown, seedTown } from '../helpers/factory.ts';
import { type Attempt, KINDS, type Kind, Load, MARKER, seeded, send, type Target } from './load.ts';
import { freePort, ServerProcess, sleep } from './server.ts';

/**
 * The crash test: the real server (`dualgrid serve`) as a child process under concurrent writes — residents'
 * reports, signed webhook messages, visits, each with its own idempotency key and a marker in its text — killed
 * with SIGKILL at a seeded random moment (0.5–2 s after the first answer), restarted on the same storage, several
 * times. Then every write that was answered 2xx must be stored exactly once, a write cut off by the kill at most
 * once, and a cut-off write sent again (twice at once, same key) must leave one row. DUALGRID_CRASH_SEED replays a
 * run's kill times, DUALGRID_CRASH_CYCLES sets the number of kills (3 by default).
 */
const CYCLES = Number(process.env.DUALGRID_CRASH_CYCLES ?? 3);
const SEED = Number(process.env.DUALGRID_CRASH_SEED ?? 20261202);
/** Writers in parallel per kind: messages are the busiest path (group commit), visits the rarest. */
const MIX: Record<Kind, number> = { matter: 5, message: 6, visit: 2 };
const SECRET = 'crash-test-webhook-secret-0123456789';
const PII_KEY = randomBytes(32).toString('base64');

describe(`kill -9 under load, then a restart on the same storage (${testEngine})`, () => {
  let dir = '';
  let database: TestDatabase | null = null;
  let town: SeededTown;
  let env: Record<string, string> = {};
  let server: ServerProcess | null = null;
  // Whatever ends this worker, the server's process group goes with it.
  const killOnExit = () => server?.killNow();

  beforeAll(async () => {
    process.on('exit', killOnExit);
    // The global set-up builds the pages unless DUALGRID_TEST_KEEP_WEB=1; `serve` would otherwise build them on its first start.
    await ensureWebBuilt((m) => console.log(m));
    dir = await mkdtemp(join(tmpdir(), 'dualgrid-crash-'));
    // The town is seeded through the factories before the first start; PGlite's folder is then closed for the server.
    database = await createTestDatabase({ pgliteDir: testEngine === 'pglite' ? embeddedDir(dir) : undefined });
    const config = { ...loadConfig({ DUALGRID_PII_KEY: PII_KEY, DUALGRID_NO_DEMO: '1', DUALGRID_DATA_DIR: dir }), databaseUrl: database.url };
    const deps: AppDeps = { db: database.db, engine: database.engine, config, vault: new PiiVault(config.piiKey), listen: database.listen };
    town = await seedTown(deps);
    await insertGroup(database.db, { gridId: town.g12.id, platform: 'webhook', externalId: 'chat-crash', name: '花园2网格群' });
    await database.close();
    env = { DUALGRID_DATA_DIR: dir, DUALGRID_FILES_DIR: join(dir, 'files'), DATABASE_URL: database.url ?? '', DUALGRID_PII_KEY: PII_KEY, DUALGRID_NO_DEMO: '1' };
  }, 300_000); // a stale web/dist is rebuilt here, which takes minutes on a busy 2-core machine

  afterAll(async () => {
    server?.killNow();
    await server?.gone(15_000).catch(() => undefined);
    process.off('exit', killOnExit);
    await database?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Starts `serve` on the data and waits for /readyz; the first start also compiles the sources (tsx), so it may take longer. */
  async function start(timeoutMs: number): Promise<ServerProcess> {
    if (server && server.exitedWith === null) throw new Error('the previous server still runs: PGlite allows one process on its folder');
    server = ServerProcess.spawn(env, join(dir, 'server.log'), await freePort());
    await server.ready(timeoutMs);
    return server;
  }

  it(`stores every acknowledged write exactly once across ${CYCLES} kills (seed ${SEED})`, async () => {
    const random = seeded(SEED);
    let s = await start(120_000);
    const target: Target = {
      base: s.base,
      resident: await login(s.base, 't_resident'),
      worker: await login(s.base, 't_worker11'),
      webhook: { sourceId: 0, secret: SECRET, groupId: 'chat-crash' },
      buildingId: town.building.id, gridId: town.g11.id, householdId: town.households.h1.id,
    };
    target.webhook.sourceId = await addWebhookSource(s.base, await login(s.base, 't_admin'));

    const all: Attempt[] = [];
    const cycles: { cycle: number; killAfterMs: number; acked: number; cut: number; refused: number; restartMs: number }[] = [];
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const load = new Load(target, cycle, MIX);
      const killAfterMs = Math.round(500 + random() * 1500);
      load.start();
      // The random moment counts from the first answer, so a slow start on a busy machine still kills mid-load.
      await Promise.race([load.firstAck, sleep(30_000)]);
      await sleep(killAfterMs);
      load.stop();
      await s.kill('SIGKILL');
      expect(s.exitedWith, `the server died of the kill, not before it; its log ends:\n${s.logTail()}`).toBe('SIGKILL');
      await load.settled();
      all.push(...load.ledger);
      const count = (o: Attempt['outcome']) => load.ledger.filter((a) => a.outcome === o).length;
      // The same storage again; the writes the kill cut off are sent again, every other one, twice at once with the same key.
      const restarted = Date.now();
      s = await start(60_000);
      cycles.push({ cycle, killAfterMs, acked: count('acked'), cut: count('cut'), refused: count('refused'), restartMs: Date.now() - restarted });
      target.base = s.base;
      await resend(target, load.ledger.filter((a) => a.outcome === 'cut').filter((_, i) => i % 2 === 0));
    }
    await s.kill('SIGTERM');

    const report = `seed ${SEED}: ${JSON.stringify(cycles)}`;
    expect(all.filter((a) => a.outcome === 'refused').map((a) => `${a.kind} ${a.status} ${a.error}`), `only 2xx answers (${report})`).toEqual([]);
    for (const c of cycles) expect(c.acked, `cycle ${c.cycle} wrote before its kill (${report})`).toBeGreaterThan(0);
    expect(all.filter((a) => a.outcome === 'cut').length, `some writes were in flight at a kill (${report})`).toBeGreaterThan(0);
    expect(all.filter((a) => a.retries).length, `some cut-off writes were sent again (${report})`).toBeGreaterThan(0);

    const stored = await storedByMarker(database?.url ?? null, dir);
    // Informative only: cut-off writes the server had committed before it died (their answer was lost).
    const cutStored = all.filter((a) => a.outcome === 'cut' && (stored[a.kind].get(a.marker)?.length ?? 0) > 0 && !a.retries?.some((r) => r.status === 201)).length;
    console.log(`crash test (${testEngine}) ${report}; cut off but stored: ${cutStored}; re-sent: ${all.filter((a) => a.retries).length}`);
    expect(problems(all, stored), report).toEqual([]);
  }, 300_000);
});

/** Logs in over HTTP; the session is a row, so the cookie still works after every restart. */
async function login(base: string, username: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('dg_session='));
  if (res.status !== 200 || !cookie) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return { cookie: cookie.split(';')[0] ?? '' };
}

async function addWebhookSource(base: string, admin: Record<string, string>): Promise<number> {
  const res = await fetch(`${base}/api/intake/sources`, {
    method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'webhook', name: '崩溃测试网关', secret: SECRET }),
  });
  if (res.status !== 201) throw new Error(`webhook source: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: number }).id; // the source schema's id
}

/** Sends each cut-off write again, twice at once, recording both answers. */
async function resend(t: Target, cut: Attempt[]): Promise<void> {
  const agent = new Agent({ keepAlive: true });
  try {
    await Promise.all(cut.map(async (a) => {
      a.retries = await Promise.all([0, 1].map(() => send(agent, t, a).catch((e: Error) => ({ status: 0, error: e.message }))));
    }));
  } finally {
    agent.destroy();
  }
}

type Stored = Record<Kind, Map<string, { id: number; key: string }[]>>;

/** Every row carrying a crash marker, by kind and marker, read straight from the storage with the server stopped. */
async function storedByMarker(url: string | null, dir: string): Promise<Stored> {
  const database = await openDatabase({ databaseUrl: url, pgliteDir: url ? null : embeddedDir(dir), poolSize: 2 });
  try {
    const like = '%[crash %';
    const [matters, messages, visits] = await Promise.all([
      sql<{ id: number; text: string; key: string | null }>`select id, description as text, client_id::text as key from matters where description like ${like}`.execute(database.db),
      sql<{ id: number; text: string; key: string | null }>`select id, text, dedupe_key as key from group_messages where text like ${like}`.execute(database.db),
      sql<{ id: number; text: string; key: string | null }>`select id, note as text, client_id::text as key from visits where note like ${like}`.execute(database.db),
    ]);
    const byMarker = (rows: { id: number; text: string; key: string | null }[]) => {
      const map = new Map<string, { id: number; key: string }[]>();
      for (const r of rows) {
        const marker = MARKER.exec(r.text)?.[1] ?? `unreadable: ${r.text}`;
        map.set(marker, [...(map.get(marker) ?? []), { id: r.id, key: r.key ?? '' }]);
      }
      return map;
    };
    return { matter: byMarker(matters.rows), message: byMarker(messages.rows), visit: byMarker(visits.rows) };
  } finally {
    await database.close();
  }
}

/** What breaks the promise: an acknowledged write missing, stored twice or under another id; any write stored twice; rows nobody sent. */
function problems(all: Attempt[], stored: Stored): string[] {
  const out: string[] = [];
  const sent = new Set(all.map((a) => `${a.kind} ${a.marker}`));
  for (const a of all) {
    const rows = stored[a.kind].get(a.marker) ?? [];
    const what = `${a.kind} ${a.marker} (cycle ${a.cycle}, ${a.outcome}${a.retries ? `, re-sent: ${a.retries.map((r) => r.status).join('/')}` : ''})`;
    const answered = [...(a.outcome === 'acked' ? [a.id] : []), ...(a.retries ?? []).filter((r) => r.status >= 200 && r.status < 300).map((r) => r.id)];
    if (a.retries?.some((r) => r.status < 200 || r.status >= 300)) out.push(`${what}: a re-send was not answered 2xx: ${JSON.stringify(a.retries)}`);
    if (rows.length > 1) out.push(`${what}: stored ${rows.length} times (ids ${rows.map((r) => r.id).join(', ')})`);
    if (answered.length > 0 && rows.length === 0) out.push(`${what}: answered 2xx but not stored`);
    const row = rows[0];
    if (row && answered.some((id) => id !== undefined && id !== row.id)) out.push(`${what}: answered with ids ${answered.join(', ')} but stored as ${row.id}`);
    if (row && !row.key.endsWith(a.marker)) out.push(`${what}: stored under the key ${row.key}`);
  }
  for (const kind of KINDS) for (const marker of stored[kind].keys()) if (!sent.has(`${kind} ${marker}`)) out.push(`${kind} ${marker}: stored, but never sent`);
  return out;
}
