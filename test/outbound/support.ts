import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { login, type TestApp } from '../helpers/app.ts';
import type { SeededTown } from '../helpers/factory.ts';
import { Actor, uploadPhoto } from '../helpers/matters.ts';
import type { TestTown } from '../helpers/town.ts';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  // Tests read the JSON they assert on next.
  // biome-ignore lint/suspicious/noExplicitAny: a received body is whatever the sender posted
  json: any;
}

/**
 * A local HTTP receiver on port 0 that records every request. `failNext(n)` makes the next n requests fail
 * with `status` (500 by default); otherwise it answers like a WeCom robot: 200 { errcode: 0, errmsg: 'ok' }.
 */
export async function startReceiver() {
  const requests: Received[] = [];
  let failing = 0;
  let failStatus = 500;
  let answer = JSON.stringify({ errcode: 0, errmsg: 'ok' });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let json: unknown = null;
      try {
        json = JSON.parse(raw);
      } catch {
        json = null;
      }
      requests.push({ path: req.url ?? '', headers: req.headers, raw, json });
      if (failing > 0) {
        failing -= 1;
        res.writeHead(failStatus, { 'content-type': 'text/plain' }).end('receiver is down');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo; // listening on a TCP port, so the address is an object
  return {
    requests,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    failNext(n: number, status = 500) {
      failing = n;
      failStatus = status;
    },
    answerWith(body: unknown) {
      answer = JSON.stringify(body);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** A receiver for the test file: started in beforeAll (after a useTestTown declared before it), closed in afterAll. */
export function useReceiver(): Receiver {
  let rx: Receiver | null = null;
  const started = (): Receiver => {
    if (!rx) throw new Error('the receiver is used in a test or a hook, once useReceiver has started it');
    return rx;
  };
  beforeAll(async () => {
    rx = await startReceiver();
  });
  afterAll(() => rx?.close());
  return {
    get requests() {
      return started().requests;
    },
    url: (path) => started().url(path),
    failNext: (n, status) => started().failNext(n, status),
    answerWith: (body) => started().answerWith(body),
    close: () => started().close(),
  };
}

/** Adds an online group on a grid through the API. */
export async function addGroup(admin: Actor, gridId: number, externalId: string, name: string): Promise<number> {
  return (await admin.ok<{ id: number }>('POST', '/api/online-groups', { gridId, platform: 'wecom', externalId, name })).id;
}

/** A message taken in from a group that became the matter (as the intake records it). */
export async function linkMessage(t: Pick<TestApp, 'deps'>, groupId: number, matterId: number, text: string): Promise<void> {
  const g = await t.deps.db.selectFrom('online_groups').select(['external_id', 'grid_id']).where('id', '=', groupId).executeTakeFirstOrThrow();
  const key = `test:${groupId}:${matterId}:${Math.random().toString(36).slice(2)}`;
  await t.deps.db.insertInto('group_messages').values({
    via: 'webhook', external_group_id: g.external_id, external_msg_id: key, group_id: groupId, grid_id: g.grid_id, sender_external_id: 'wm_resident',
    sender_name: '王大爷', sent_at: new Date(), text, attachments: '[]', hints: '{}', state: 'to_matter', matter_id: matterId, dedupe_key: key,
  }).execute();
}

/**
 * A matter reported from a group message on grid g11, walked to 'feedback': registered, dispatched to the grid,
 * handled with a note and a result photo, verified. Returns its id, codes (internal and public) and the photos' hashes.
 */
export async function matterInFeedback(t: Pick<TestTown<SeededTown>, 'app' | 'town'>, description = '群里反映：3栋楼道灯坏了，晚上看不见') {
  const town = t.town;
  const worker = await Actor.as(t.app, 't_worker11');
  const community = await Actor.as(t.app, 't_staff1');
  const reportPhoto = await uploadPhoto(t.app, await login(t.app, 't_worker11', 'test-password-1'), reportPng());
  const m = await worker.ok<{ id: number; code: string; publicCode: string }>('POST', '/api/matters', {
    source: 'group_message', channel: 'group', description, location: { buildingId: town.building.id }, reporter: { residentId: town.residents.r11 }, photos: [reportPhoto],
  });
  await community.step(m.id, 'register', { categoryCode: 'S03002', scope: 'household', complexity: 'simple' });
  await community.step(m.id, 'dispatch', { lead: { kind: 'node', id: town.g11.id } });
  await worker.step(m.id, 'accept');
  const resultPhoto = await uploadPhoto(t.app, await login(t.app, 't_worker11', 'test-password-1'));
  await worker.step(m.id, 'handle', { note: '更换楼道灯泡，已恢复照明', photos: [resultPhoto] });
  await community.step(m.id, 'verify', { passed: true, note: '已核实' });
  return { id: m.id, code: m.code, publicCode: m.publicCode, resultPhoto, reportPhoto, community, worker };
}

/** A second valid PNG (2×1), so the report photo and the result photo have different hashes. */
function reportPng(): Buffer {
  return Buffer.from('89504e470d0a1a0a0000000d4948445200000002000000010806000000f478d4fa0000000d4944415478da63f8cfc0f0ffff3f0009fb03fdcd8a6d2e0000000049454e44ae426082', 'hex');
}
