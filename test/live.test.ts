import { setTimeout as sleep } from 'node:timers/promises';
import { type Kysely, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import type { DB, MatterRow } from '../src/db/schema.ts';
import { createJobRunner } from '../src/modules/jobs/jobs.setup.ts';
import { mattersFeed } from '../src/modules/live/live.events.ts';
import { LiveHub } from '../src/modules/live/live.hub.ts';
import { publish } from '../src/modules/matters/matters.step.ts';
import { login } from './helpers/app.ts';
import { testEngine } from './helpers/engine.ts';
import { useTestTown } from './helpers/town.ts';

/** Every wait is bounded so a missing event fails the test instead of hanging it. */
const WAIT_MS = 3000;

interface LiveEvent { id: number; event: string; data: Record<string, unknown> }

/** A server-sent-event stream read over a real socket, the way a browser's EventSource would. */
class LiveStream {
  readonly events: LiveEvent[] = [];
  retry: number | null = null;
  pings = 0;
  ended = false;
  contentType: string | null = null;
  private constructor(private readonly controller: AbortController) {}

  static async open(url: string, headers: Record<string, string>): Promise<LiveStream> {
    const controller = new AbortController();
    const res = await fetch(url, { headers: { ...headers, accept: 'text/event-stream' }, signal: controller.signal });
    if (res.status !== 200 || !res.body) throw new Error(`stream refused: ${res.status} ${await res.text()}`);
    const stream = new LiveStream(controller);
    stream.contentType = res.headers.get('content-type');
    void stream.pump(res.body.getReader());
    await stream.until(() => stream.retry !== null, 'the retry line');
    return stream;
  }

  private async pump(reader: ReadableStreamDefaultReader<Uint8Array>) {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          this.parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // aborted by close()
    }
    this.ended = true;
  }

  private parse(block: string) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.pings += 1;
      const colon = line.indexOf(': ');
      if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 2));
    }
    if (fields.has('retry')) this.retry = Number(fields.get('retry'));
    const data = fields.get('data');
    if (data !== undefined) this.events.push({ id: Number(fields.get('id')), event: fields.get('event') ?? 'message', data: JSON.parse(data) });
  }

  async until(check: () => boolean, what: string, ms = WAIT_MS) {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}; got ${JSON.stringify(this.events)}`);
      await sleep(20);
    }
  }

  of(matterId: number): string[] {
    return this.events.filter((e) => e.data.id === matterId).map((e) => e.event);
  }

  /** Waits for an event of a matter; everything sent before it has arrived too (one connection, in order). */
  async waitFor(matterId: number, event: string) {
    await this.until(() => this.of(matterId).includes(event), `${event} of matter ${matterId}`);
  }

  close() {
    this.controller.abort();
  }
}

/** A committed notification in publish()'s format, used as a marker: once it arrives, earlier ones would have. */
async function notify(db: Kysely<DB>, id: number, areaPath: string, extra: Record<string, unknown> = {}) {
  const payload = { action: 'progress', id, code: `MARK${id}`, status: 'handling', urgent: false, overdue: false, areaPath, ownerPath: areaPath, subjects: [], at: new Date().toISOString(), ...extra };
  await sql`select pg_notify('dualgrid_matters', ${JSON.stringify(payload)})`.execute(db);
}

describe(`live updates over server-sent events (${testEngine})`, () => {
  const t = useTestTown({ listen: true });
  const [centre] = t.actors('t_centre');
  const streams: LiveStream[] = [];
  let marker = -1;

  const open = async (username: string | null, query = '') => {
    const headers = username ? await t.login(username) : {};
    const stream = await LiveStream.open(`${t.base}/api/live/matters${query}`, headers);
    streams.push(stream);
    return stream;
  };

  afterAll(() => {
    for (const s of streams) s.close();
  });

  async function reportAndDispatch(options: { urgent?: boolean; dueAt?: Date } = {}) {
    const m = await centre.ok<{ id: number }>('POST', '/api/matters', { source: 'hotline', description: '花园路口井盖松动，车辆经过响声很大', location: { nodeId: t.town.g11.id }, urgent: options.urgent ?? false });
    await centre.step(m.id, 'register', { categoryCode: 'S06001' });
    await centre.step(m.id, 'dispatch', { lead: { kind: 'post', id: t.town.post.id }, ...(options.dueAt ? { dueAt: options.dueAt.toISOString() } : {}) });
    return m.id;
  }

  it('refuses an anonymous caller with a JSON 401 before any streaming', async () => {
    const res = await fetch(`${t.base}/api/live/matters`, { headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });

  it('sends created then dispatched to the centre, dispatched to the lead post, nothing to another community', async () => {
    const [centreStream, postStream, otherCommunity] = await Promise.all([open('t_centre'), open('t_post'), open('t_staff2')]);
    expect(centreStream.contentType).toContain('text/event-stream');
    expect(centreStream.retry).toBe(5000);

    const id = await reportAndDispatch();
    await centreStream.waitFor(id, 'dispatched');
    expect(centreStream.of(id)).toEqual(['created', 'updated', 'dispatched']); // report, register, dispatch
    const ids = centreStream.events.map((e) => e.id);
    expect(ids.every((x, i) => i === 0 || x > (ids[i - 1] ?? 0))).toBe(true);
    const event = centreStream.events.find((e) => e.data.id === id && e.event === 'dispatched');
    expect(event?.data).toMatchObject({ action: 'dispatch', status: 'dispatched', subjects: [`post:${t.town.post.id}`] });
    expect(event?.data).not.toHaveProperty('areaPath');
    expect(event?.data).not.toHaveProperty('ownerPath');

    // The post handler follows what it leads, not what it merely could see.
    await postStream.waitFor(id, 'dispatched');
    expect(postStream.of(id)).toEqual(['dispatched']);

    // c2's staff: a marker in their own community arrives, and nothing about the g11 matter before it.
    const mark = marker--;
    await notify(t.deps.db, mark, t.town.c2.path);
    await otherCommunity.waitFor(mark, 'updated');
    expect(otherCommunity.of(id)).toEqual([]);
  });

  it('sends nothing for a refused or rolled-back change', async () => {
    const stream = await open('t_centre');
    const m = await centre.ok<{ id: number }>('POST', '/api/matters', { source: 'hotline', description: '楼道堆放杂物堵塞消防通道', location: { nodeId: t.town.g11.id } });
    await centre.step(m.id, 'register', { categoryCode: 'S06001' });
    await stream.waitFor(m.id, 'updated');

    // A grid worker may not dispatch: refused, nothing changes, nothing is announced.
    const worker = await t.as('t_worker11');
    expect((await worker.raw('POST', `/api/matters/${m.id}/dispatch`, { lead: { kind: 'post', id: t.town.post.id } })).statusCode).toBe(403);
    // A change that did publish but then failed: NOTIFY is transactional, so the rollback takes it back.
    const row: MatterRow = await t.deps.db.selectFrom('matters').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow();
    await expect(t.deps.db.transaction().execute(async (trx) => {
      await publish(trx, { ...row, status: 'closed' }, [], 'close');
      throw new Error('rolled back on purpose');
    })).rejects.toThrow('rolled back on purpose');

    const mark = marker--;
    await notify(t.deps.db, mark, t.town.g11.path);
    await stream.waitFor(mark, 'updated');
    expect(stream.of(m.id)).toEqual(['created', 'updated']);
  });

  it('keeps only urgent or overdue matters on the big screen, and marks the overdue one', async () => {
    const big = await open('t_centre', '?urgentOnly=true');
    const all = await open('t_centre');
    const urgent = await reportAndDispatch({ urgent: true });
    const due = new Date(Date.now() + 60_000);
    const plain = await reportAndDispatch({ dueAt: due });
    await all.waitFor(plain, 'dispatched');
    expect(big.of(urgent)).toEqual(['created', 'updated', 'dispatched']);
    expect(big.of(plain)).toEqual([]);

    // At its due time the deadline job marks it overdue (one 'overdue' event) and escalates it (an update
    // of a now-overdue matter): from then on the big screen shows it.
    await createJobRunner(t.deps).runDue(new Date(due.getTime() + 60_000));
    await big.waitFor(plain, 'overdue');
    await all.waitFor(plain, 'overdue');
    expect(big.of(plain).every((e) => e === 'overdue' || e === 'updated')).toBe(true);
    expect(all.of(plain).filter((e) => e === 'overdue')).toHaveLength(1);
  });

  it('ends open streams when the app closes instead of holding the shutdown', async () => {
    const second = await t.another();
    let closed = false;
    try {
      const base = await second.app.listen({ port: 0, host: '127.0.0.1' });
      const stream = await LiveStream.open(`${base}/api/live/matters`, await login(second.app, 't_centre', 'test-password-1'));
      streams.push(stream);
      const started = Date.now();
      await second.close();
      closed = true;
      expect(Date.now() - started).toBeLessThan(WAIT_MS);
      await stream.until(() => stream.ended, 'the end of the stream');
    } finally {
      if (!closed) await second.close();
    }
    // The first app still delivers: the second one's LISTEN went away with it, not the shared one.
    const stream = await open('t_centre');
    const mark = marker--;
    await notify(t.deps.db, mark, t.town.g11.path);
    await stream.waitFor(mark, 'updated');
  });

  it.runIf(testEngine === 'postgres')('fans out a NOTIFY from another process on the same database', async () => {
    const stream = await open('t_centre');
    const other = await openDatabase({ databaseUrl: t.database.url, pgliteDir: null, poolSize: 1 });
    try {
      const mark = marker--;
      await notify(other.db, mark, t.town.g12.path, { action: 'report', status: 'reported' });
      await stream.waitFor(mark, 'created');
    } finally {
      await other.close();
    }
  });

  it.runIf(testEngine === 'postgres')('listens again after its connection is killed', async () => {
    const stream = await open('t_centre');
    const killed = await sql<{ pid: number }>`select pid from pg_stat_activity
      where datname = current_database() and query ilike 'LISTEN%' and pg_terminate_backend(pid)`.execute(t.deps.db);
    expect(killed.rows.length).toBeGreaterThan(0);
    // Notifications sent while it reconnects are lost by design; keep sending until one gets through.
    const mark = marker--;
    const deadline = Date.now() + 8000;
    while (stream.of(mark).length === 0) {
      if (Date.now() > deadline) throw new Error('no notification got through after the LISTEN connection was killed');
      await notify(t.deps.db, mark, t.town.g11.path);
      await sleep(250);
    }
  });
});

describe('the live hub on its own', () => {
  it('listens once, pings, and drops malformed payloads and clients that stop reading', async () => {
    let listens = 0;
    let stopped = false;
    let deliver: (payload: string) => void = () => undefined;
    const warnings: string[] = [];
    const hub = new LiveHub(async (_channel, onPayload) => {
      listens += 1;
      deliver = onPayload;
      return async () => {
        stopped = true;
      };
    }, mattersFeed, { heartbeatMs: 20, warn: (message) => warnings.push(message) });
    const audience = { areaPrefixes: ['/1/'], ownerPrefixes: [], subjects: new Set<string>(), urgentOnly: false };
    const got: string[] = [];
    await Promise.all([hub.start(), hub.start()]);
    expect(listens).toBe(1);
    hub.add({ audience, write: (chunk) => got.push(chunk) > 0, end: async () => undefined });
    hub.add({ audience, write: () => false, end: async () => undefined });

    deliver('not json');
    deliver(JSON.stringify({ action: 'report', id: 1, code: 'A1', status: 'reported', urgent: false, overdue: false, areaPath: '/1/2/', ownerPath: '/1/', subjects: [], at: 'now' }));
    expect(got[0]).toBe('id: 1\nevent: created\ndata: {"action":"report","id":1,"code":"A1","status":"reported","urgent":false,"overdue":false,"subjects":[],"at":"now"}\n\n');
    expect(hub.size).toBe(1); // the client that could not keep up is gone
    expect(warnings).toHaveLength(2);
    await sleep(100);
    expect(got).toContain(': ping\n\n');

    await hub.close();
    expect(stopped).toBe(true);
    expect(hub.size).toBe(0);
    await expect(hub.start()).rejects.toThrow('closed');
  });
});
