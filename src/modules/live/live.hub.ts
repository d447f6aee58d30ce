import type { Listen } from '../../db/database.ts';

/** One server-sent event; data is a single line of JSON, so no line of it can end the event early. */
export function formatEvent(id: number, type: string, data: unknown): string {
  return `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** One event a notification becomes, and which audiences it reaches. */
export interface LiveEvent<A> {
  type: string;
  data: unknown;
  reaches(audience: A): boolean;
}

/**
 * What a hub fans out: a NOTIFY channel and how its payloads become events. Payloads are parsed rather than
 * trusted (anyone with database access can notify); `events` answers null for a malformed one.
 */
export interface LiveFeed<A> {
  channel: string;
  events(payload: string): LiveEvent<A>[] | null;
}

/** One connected screen, as the hub sees it. */
export interface LiveClient<A> {
  audience: A;
  /** Queues text on the stream; returns false when the client is too far behind and should be dropped. */
  write(chunk: string): boolean;
  /** Ends the stream; resolves once the response is finished (or given up on). */
  end(): Promise<void>;
}

export interface LiveHubOptions {
  heartbeatMs: number;
  warn(message: string): void;
}

/**
 * The per-app fan-out of one feed: one LISTEN on its channel, however many screens are connected, so
 * a busy centre costs one database connection rather than one per browser tab. Started lazily by
 * the first subscriber and stopped when the app closes.
 */
export class LiveHub<A> {
  private readonly clients = new Set<LiveClient<A>>();
  private listening: Promise<() => Promise<void>> | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private closed = false;
  // Event ids are per process and not replayable: a reconnecting client refetches its lists instead.
  private lastId = 0;

  constructor(private readonly listen: Listen | null, private readonly feed: LiveFeed<A>, private readonly options: LiveHubOptions) {}

  get size(): number {
    return this.clients.size;
  }

  /**
   * Makes sure the LISTEN is active before a client is told it is connected, so nothing committed after
   * the client saw the stream open can be missed. Rejects when this database cannot listen.
   */
  async start(): Promise<void> {
    if (this.closed) throw new Error('The live hub is closed.');
    if (!this.listen) throw new Error('This database offers no LISTEN.');
    this.listening ??= this.listen(this.feed.channel, (payload) => this.deliver(payload)).catch((err: unknown) => {
      this.listening = null; // let the next subscriber try again
      throw err;
    });
    await this.listening;
  }

  add(client: LiveClient<A>): () => void {
    this.clients.add(client);
    this.heartbeat ??= setInterval(() => this.broadcast(': ping\n\n'), this.options.heartbeatMs).unref();
    return () => this.remove(client);
  }

  /** Sends the events of one notification to every client whose audience each reaches. */
  deliver(payload: string): void {
    const events = this.feed.events(payload);
    if (!events) {
      this.options.warn(`live: ignored a malformed ${this.feed.channel} payload`);
      return;
    }
    if (this.clients.size === 0) return;
    for (const event of events) {
      this.lastId += 1;
      const chunk = formatEvent(this.lastId, event.type, event.data);
      for (const client of this.clients) {
        if (event.reaches(client.audience)) this.send(client, chunk);
      }
    }
  }

  /** Ends every open stream; run before the server stops so open streams do not hold the shutdown. */
  async endClients(): Promise<void> {
    const ending = [...this.clients].map((c) => c.end());
    for (const c of [...this.clients]) this.remove(c);
    await Promise.all(ending);
  }

  /** Stops the LISTEN; the app is going away. */
  async close(): Promise<void> {
    this.closed = true;
    await this.endClients();
    const listening = this.listening;
    this.listening = null;
    const stop = await listening?.catch(() => null);
    await stop?.();
  }

  private broadcast(chunk: string): void {
    for (const client of this.clients) this.send(client, chunk);
  }

  private send(client: LiveClient<A>, chunk: string): void {
    // A client that stops reading must not make the process buffer without bound; it reconnects and refetches.
    if (client.write(chunk)) return;
    this.options.warn('live: dropped a client that fell too far behind');
    this.remove(client);
    client.end().catch(() => undefined);
  }

  private remove(client: LiveClient<A>): void {
    this.clients.delete(client);
    if (this.clients.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = null;
    }
  }
}
