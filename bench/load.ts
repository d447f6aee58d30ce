// Load generator, run as its own process so the client's CPU does not share the server's event loop.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { type ClientMessage, clientRequestSchema, type LoadResult, type LoadTask, seededRandom, percentile } from './protocol.ts';

const idSchema = z.object({ id: z.number() });

/** Upper bound on kept latency samples, so a fast endpoint cannot grow memory without limit. */
const MAX_SAMPLES = 2_000_000;

/** One request over node:http, reading the whole body: the server has not finished until it is sent. */
function send(agent: Agent, method: string, url: string, headers: Record<string, string>, body: string | null): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

export async function runLoad(task: LoadTask): Promise<Omit<LoadResult, 'serverElu'>> {
  const random = seededRandom(20261121);
  const latencies = new Float64Array(Math.min(task.maxRequests, MAX_SAMPLES));
  const headers: Record<string, string> = { ...task.headers, ...(task.body === null ? {} : { 'content-type': 'application/json' }) };
  // One keep-alive socket per in-flight request, like a pool of phones each holding a connection.
  const agent = new Agent({ keepAlive: true, maxSockets: task.concurrency });
  const started = performance.now();
  const deadline = started + task.maxSeconds * 1000;
  let issued = 0;
  let completed = 0;
  let errors = 0;
  let firstError: string | null = null;

  const urlFor = (): string => {
    const box = task.randomPointIn;
    if (box === null) return task.url;
    const lng = box[0] + random() * (box[2] - box[0]);
    const lat = box[1] + random() * (box[3] - box[1]);
    return `${task.url}?lng=${lng.toFixed(6)}&lat=${lat.toFixed(6)}`;
  };

  const bodyFor = (): string | null => {
    const choices = task.choices;
    if (task.body === null || choices === null || choices.length === 0) return task.body;
    return task.body.replace('"__PICK__"', String(choices[Math.floor(random() * choices.length)]));
  };

  /** The first request, then the follow-ups with the id it returned; the first refusal ends the sequence. */
  const sequence = async (): Promise<{ status: number; text: string }> => {
    const first = await send(agent, task.method, urlFor(), headers, bodyFor());
    if (first.status >= 300 || task.followUps === null) return first;
    const parsed = idSchema.safeParse(JSON.parse(first.text));
    if (!parsed.success) return { status: 599, text: `no id in ${first.text.slice(0, 100)}` };
    for (const step of task.followUps) {
      const next = await send(agent, step.method, step.url.replace(':id', String(parsed.data.id)), headers, step.body);
      if (next.status >= 300) return next;
    }
    return first;
  };

  const worker = async (): Promise<void> => {
    while (issued < task.maxRequests && performance.now() < deadline) {
      issued++;
      const t0 = performance.now();
      try {
        const { status, text } = await sequence();
        if (status >= 300) {
          errors++;
          firstError ??= `${status} ${text.slice(0, 200)}`;
        }
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
      if (completed < latencies.length) latencies[completed] = performance.now() - t0;
      completed++;
    }
  };
  await Promise.all(Array.from({ length: task.concurrency }, worker));

  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const kept = latencies.subarray(0, Math.min(completed, latencies.length)).sort();
  return {
    requests: completed, errors, firstError, seconds,
    perSecond: completed / seconds,
    p50Ms: percentile(kept, 50), p99Ms: percentile(kept, 99),
  };
}

// Serve tasks from the parent one at a time over IPC; exit when the parent disconnects.
if (process.send !== undefined) {
  const reply = (message: ClientMessage) => process.send?.(message);
  process.on('message', (raw: unknown) => {
    const request = clientRequestSchema.parse(raw);
    runLoad(request.task).then(
      (result) => reply({ type: 'result', id: request.id, result: { ...result, serverElu: null } }),
      (err: unknown) => reply({ type: 'failed', id: request.id, message: err instanceof Error ? err.message : String(err) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
