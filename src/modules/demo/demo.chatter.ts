import type { Kysely } from 'kysely';
import { z } from 'zod';
import { idField } from '../../core/fields.ts';
import { composeExchange, nextPauseMs, type Place, streetOf, type Voice } from '../../core/demo/chatter.ts';
import { Rng } from '../../core/prng.ts';
import { signWebhook } from '../../core/webhook.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { insertJobOnce } from '../jobs/jobs.repository.ts';
import type { Job, OutsideJobHandler } from '../jobs/jobs.runner.ts';
import { getActiveSource } from '../online/intake.repository.ts';
import { IntakeService } from '../online/intake.service.ts';
import { SensorCache } from '../sensing/sensor.cache.ts';
import { SourceCache } from '../online/source.cache.ts';
import { chatterGroups, gridBuildings, groupVoices, latestChatterJob } from './alive.repository.ts';

/** The demo's stream of group messages: each run posts one exchange through the signed webhook intake, then schedules the next. */
export const DEMO_CHATTER_JOB = 'demo.chatter';

const payloadSchema = z.object({ sourceId: idField, seed: z.union([z.number(), z.string()]), counter: z.number().int().min(0) });
export type ChatterPayload = z.infer<typeof payloadSchema>;

/** Run `counter` of the stream; its dedupe key keeps a re-run (at least once) from forking the chain. */
export const enqueueChatter = (db: Kysely<DB>, p: ChatterPayload, runAt: Date) =>
  insertJobOnce(db, { kind: DEMO_CHATTER_JOB, run_at: runAt, dedupe_key: `${DEMO_CHATTER_JOB}:${p.counter}`, payload: JSON.stringify(p) });

/**
 * At start, with the stream on: a stream that was switched off (or failed for good) goes on from its next run, now.
 * Nothing when a run is pending or running, or when the database never had a stream (no demo, or loaded with it off).
 */
export async function resumeDemoChatter(deps: AppDeps, now = new Date()): Promise<boolean> {
  if (!deps.config.demoChatter) return false;
  const last = await latestChatterJob(deps.db, DEMO_CHATTER_JOB);
  if (!last || last.status === 'pending' || last.status === 'running') return false;
  const p = payloadSchema.safeParse(last.payload);
  if (!p.success) return false;
  await enqueueChatter(deps.db, { ...p.data, counter: p.data.counter + 1 }, now);
  return true;
}

/** The message ids of run `counter`: the same on a re-run, so the intake's unique key drops the repeats. */
export const chatterMessageId = (counter: number, line: number) => `demo-chatter-${counter}-${line}`;

/**
 * The job's handler: outside any transaction it posts the run's exchange the way a chat gateway would (a signed
 * webhook body through the intake, which senses, stores and alerts), then, in the job's transaction, schedules the
 * next run. Off (DUALGRID_DEMO_CHATTER=0) or with the demo source disabled, a run posts nothing and ends the stream.
 */
export function demoChatterJobs(deps: AppDeps): Record<string, OutsideJobHandler> {
  let intake: IntakeService | null = null;
  const stop = async () => {};
  return {
    [DEMO_CHATTER_JOB]: {
      async outside(job: Job, now: Date) {
        if (!deps.config.demoChatter) return stop;
        const p = payloadSchema.parse(job.payload);
        const source = await getActiveSource(deps.db, p.sourceId);
        if (source?.kind !== 'webhook' || !source.secret) return stop;
        const rng = new Rng(`${p.seed}/chatter/${p.counter}`);
        const messages = await exchange(deps.db, rng, now);
        if (messages.length) {
          intake ??= new IntakeService(deps, new SensorCache(deps.db), new SourceCache(deps.db));
          const raw = JSON.stringify({ messages: messages.map((m, i) => ({ ...m, id: chatterMessageId(p.counter, i) })) });
          const timestamp = String(Math.floor(Date.now() / 1000));
          await intake.takeWebhook(source.id, { timestamp, signature: signWebhook(source.secret, timestamp, raw) }, raw);
        }
        const runAt = new Date(now.getTime() + nextPauseMs(rng, now));
        return async (trx) => { await enqueueChatter(trx, { ...p, counter: p.counter + 1 }, runAt); };
      },
    },
  };
}

/** One group, drawn with its neighbourhood groups weighted up, and what its members say this time. */
async function exchange(db: Kysely<DB>, rng: Rng, now: Date) {
  const groups = await chatterGroups(db);
  if (groups.length === 0) return [];
  const group = rng.weighted(groups.map((g) => [g, g.name.endsWith('邻里群') ? 3 : 1] as const));
  const [members, buildings] = await Promise.all([groupVoices(db, group.id, group.grid_id), gridBuildings(db, group.grid_id)]);
  const voices: Voice[] = members.map((m) => ({
    id: m.external_user_id, name: m.display_name, building: m.building, unit: m.unit, room: m.room, staff: m.user_id !== null && m.resident_id === null, worker: Boolean(m.worker),
  }));
  const place: Place = {
    estate: group.estate_name ?? group.grid_name.replace(/\d*网格$/, ''), community: group.community_name ?? '',
    buildings: buildings.map((b) => b.name), streets: [...new Set(buildings.map((b) => (b.address ? streetOf(b.address) : null)).filter((s): s is string => s !== null))],
  };
  // A few seconds apart, as people answer one another.
  let at = now.getTime();
  return composeExchange(rng, voices, place).map((line, i) => {
    if (i > 0) at += rng.int(4, 15) * 1000;
    return { groupId: group.external_id, senderId: line.voice.id, senderName: line.voice.name.slice(0, 50), text: line.text, sentAt: new Date(at).toISOString() };
  });
}
