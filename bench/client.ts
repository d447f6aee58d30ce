// Drives the load-generator process and measures the server's event-loop utilisation around each run.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { clientMessageSchema, type LoadResult, type LoadTask } from './protocol.ts';

export class LoadClient {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();
  #nextId = 1;

  constructor() {
    // fork() inherits execArgv, so the child runs under the same tsx loader as this process.
    this.#child = fork(fileURLToPath(new URL('./load.ts', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#child.on('message', (raw: unknown) => {
      const message = clientMessageSchema.parse(raw);
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.type === 'result') pending?.resolve(message.result);
      else pending?.reject(new Error(`load generator: ${message.message}`));
    });
    this.#child.on('exit', (code) => {
      for (const p of this.#pending.values()) p.reject(new Error(`load generator exited with ${code}`));
      this.#pending.clear();
    });
  }

  /** Runs one task; serverElu is this (server) process's event-loop utilisation over the run. */
  run(task: LoadTask): Promise<LoadResult> {
    const id = this.#nextId++;
    const before = performance.eventLoopUtilization();
    return new Promise<LoadResult>((resolve, reject) => {
      this.#pending.set(id, {
        resolve: (r) => resolve({ ...r, serverElu: performance.eventLoopUtilization(before).utilization }),
        reject,
      });
      this.#child.send({ id, task });
    });
  }

  close(): void {
    if (this.#child.connected) this.#child.disconnect();
  }
}
