/**
 * Group commit: gathers concurrent requests' rows for at most `maxWaitMs` or `maxRows`, writes them with
 * one call of `flush`, and settles each request with its own rows' results only after that call (its
 * transaction) finished. A request's rows are never split across flushes, so a 2xx means all committed.
 * When a flush of several requests fails, each request is flushed again on its own (the failed transaction
 * left nothing behind), so one request the database refuses fails alone and never takes its neighbours with it.
 */
export class MicroBatcher<T, R> {
  private queue: { rows: T[]; resolve: (r: R[]) => void; reject: (e: unknown) => void }[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly flush: (rows: T[]) => Promise<R[]>, private readonly options: { maxWaitMs: number; maxRows: number }) {}

  add(rows: T[]): Promise<R[]> {
    if (rows.length === 0) return Promise.resolve([]);
    return new Promise<R[]>((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.queued += rows.length;
      if (this.queued >= this.options.maxRows) this.kick();
      else this.timer ??= setTimeout(() => this.kick(), this.options.maxWaitMs);
    });
  }

  /** Waits for everything queued so far to be written (shutdown, tests). */
  async drain(): Promise<void> {
    if (this.queue.length) this.kick();
    await this.running;
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    this.queue = [];
    this.queued = 0;
    if (batch.length === 0) return;
    // Flushes run one after another so a batch's ON CONFLICT sees every row committed before it.
    this.running = this.running.then(async () => {
      try {
        const results = await this.flush(batch.flatMap((b) => b.rows));
        let at = 0;
        for (const b of batch) {
          b.resolve(results.slice(at, at + b.rows.length));
          at += b.rows.length;
        }
      } catch (err) {
        if (batch.length === 1) {
          batch[0]?.reject(err);
          return;
        }
        for (const b of batch) {
          try {
            b.resolve(await this.flush(b.rows));
          } catch (alone) {
            b.reject(alone);
          }
        }
      }
    });
  }
}
