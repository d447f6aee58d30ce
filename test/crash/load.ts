import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { signWebhook } from '../../src/core/webhook.ts';

/** The kinds of write the crash test drives, each idempotent by a key it carries (clientId, message id). */
export const KINDS = ['matter', 'message', 'visit'] as const;
export type Kind = (typeof KINDS)[number];

/**
 * One write sent to the server. `marker` is its idempotency key and also appears in the stored text as
 * `[crash <marker>]`, so a second copy would show even if the key were lost.
 */
export interface Attempt {
  kind: Kind;
  marker: string;
  cycle: number;
  /** The exact JSON body (a retry sends the same bytes). */
  body: string;
  /** pending while in flight; acked on a 2xx; refused on any other status; cut when the connection failed or broke. */
  outcome: 'pending' | 'acked' | 'refused' | 'cut';
  status?: number;
  /** The stored row's id from a 2xx answer, when its body arrived whole. */
  id?: number;
  error?: string;
  /** Answers to the re-sends of a cut attempt after the restart (two at once, same key). */
  retries?: Answer[];
}

export interface Answer { status: number; id?: number; error?: string }

/** Where and as whom the writes go: a resident reports, the grid worker logs visits, the gateway posts messages. */
export interface Target {
  base: string;
  resident: Record<string, string>;
  worker: Record<string, string>;
  webhook: { sourceId: number; secret: string; groupId: string };
  buildingId: number;
  gridId: number;
  householdId: number;
}

const TAG = (marker: string) => `[crash ${marker}]`;
export const MARKER = /\[crash ([0-9a-f-]{36})\]/;

export function newAttempt(kind: Kind, cycle: number, t: Target): Attempt {
  const marker = randomUUID();
  const body = kind === 'matter'
    ? { source: 'resident_report', channel: 'phone', description: `楼下路灯不亮了，晚上很黑 ${TAG(marker)}`, location: { buildingId: t.buildingId }, clientId: marker }
    : kind === 'visit'
      ? { gridId: t.gridId, householdIds: [t.householdId], note: `走访了解情况 ${TAG(marker)}`, clientId: marker }
      : { id: marker, groupId: t.webhook.groupId, senderId: 'u-crash', senderName: '李阿姨', text: `3号楼的路灯不亮了 ${TAG(marker)}` };
  return { kind, marker, cycle, body: JSON.stringify(body), outcome: 'pending' };
}

/**
 * Sends one attempt's body and answers with the status (and the id of a whole JSON body); rejects when the
 * connection fails or breaks before the status line. Each call signs a webhook afresh (the timestamp moves).
 */
export function send(agent: Agent, t: Target, a: Pick<Attempt, 'kind' | 'body'>): Promise<Answer> {
  const { path, headers } = a.kind === 'message' ? webhookRequest(t, a.body)
    : { path: a.kind === 'matter' ? '/api/matters' : '/api/visits', headers: a.kind === 'matter' ? t.resident : t.worker };
  return new Promise((resolve, reject) => {
    const req = request(`${t.base}${path}`, {
      method: 'POST', agent, timeout: 20_000,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(a.body) },
    }, (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      // The status line is the server's answer: a 2xx whose body is then cut still counts as acknowledged.
      res.on('error', (e) => resolve({ status, error: e.message }));
      res.on('close', () => {
        if (!res.complete) resolve({ status, error: 'body cut off' });
      });
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let id: number | undefined;
        try {
          const parsed: unknown = JSON.parse(text);
          if (parsed && typeof parsed === 'object' && 'id' in parsed && typeof parsed.id === 'number') id = parsed.id;
        } catch {
          // not JSON: the id stays unknown
        }
        resolve({ status, id, ...(status >= 300 ? { error: text.slice(0, 300) } : {}) });
      });
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 20 s')));
    req.on('error', reject);
    req.end(a.body);
  });
}

function webhookRequest(t: Target, body: string) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    path: `/api/intake/webhook/${t.webhook.sourceId}`,
    headers: { 'x-dualgrid-timestamp': timestamp, 'x-dualgrid-signature': signWebhook(t.webhook.secret, timestamp, body) },
  };
}

/**
 * Writers in parallel, each sending one attempt after another until stopped, every attempt recorded in
 * `ledger` before it is sent. stop() lets no new attempt start; settled() resolves when every writer is done.
 */
export class Load {
  readonly ledger: Attempt[] = [];
  #stopped = false;
  #writers: Promise<void>[] = [];
  readonly #agent = new Agent({ keepAlive: true });
  #onAck: () => void = () => undefined;
  /** Resolves at the first 2xx: the load is flowing. */
  readonly firstAck = new Promise<void>((resolve) => {
    this.#onAck = resolve;
  });

  constructor(private readonly t: Target, private readonly cycle: number, private readonly mix: Record<Kind, number>) {}

  start(): void {
    for (const kind of KINDS) for (let i = 0; i < this.mix[kind]; i++) this.#writers.push(this.#writer(kind));
  }

  stop(): void {
    this.#stopped = true;
  }

  async settled(): Promise<void> {
    await Promise.all(this.#writers);
    this.#agent.destroy();
  }

  async #writer(kind: Kind): Promise<void> {
    while (!this.#stopped) {
      const a = newAttempt(kind, this.cycle, this.t);
      this.ledger.push(a);
      try {
        const answer = await send(this.#agent, this.t, a);
        Object.assign(a, { outcome: answer.status >= 200 && answer.status < 300 ? 'acked' : 'refused', ...answer });
        if (a.outcome === 'acked') this.#onAck();
      } catch (e) {
        a.outcome = 'cut';
        a.error = (e as Error).message;
        // The server is gone; the writer stops instead of spinning on refused connections.
        return;
      }
    }
  }
}

/** A small seeded generator (mulberry32), so a failing run's kill times can be replayed with its seed. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
