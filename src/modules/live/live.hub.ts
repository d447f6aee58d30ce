import type { Listen } from '../../db/database.ts';
import { type Audience, eventData, eventType, formatEvent, MATTERS_CHANNEL, parseNotice, reaches } from './live.events.ts';

/** One connected screen, as the hub sees it. */
export interface LiveClient {
  audience: Audience;
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
 * The per-app fan-out: one LISTEN on the matters channel, however many screens are connected, so
 * a busy centre costs one database connection rather than one per browser tab. Started lazily by
 * the first subscriber and stopped when the app closes.
 */
export class LiveHub {
  private readonly clients = new Set<LiveClient>();
  private listening: Promise<() => Promise<void>> | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private closed = false;
  // Event ids are per process and not replayable: a reconnecting client refetches its lists instead.
  private lastId = 0;

  constructor(private readonly listen: Listen | null, private readonly options: LiveHubOptions) {}

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
    this.listening ??= this.listen(MATTERS_CHANNEL, (payload) => this.deliver(payload)).catch((err: unknown) => {
      this.listening = null; // let the next subscriber try again
      throw err;
    });
    await this.listening;
  }

  add(client: LiveClient): () => void {
    this.clients.add(client);
    this.heartbeat ??= setInterval(() => this.broadcast(': ping\n\n'), this.options.heartbeatMs).unref();
    return () => this.remove(client);
  }

  /** Sends one notification to every client whose audience covers the matter. */
  deliver(payload: string): void {
    const notice = parseNotice(payload);
    if (!notice) {
      this.options.warn(`live: ignored a malformed ${MATTERS_CHANNEL} payload`);
      return;
    }
    if (this.clients.size === 0) return;
    this.lastId += 1;
    const chunk = formatEvent(this.lastId, eventType(notice), eventData(notice));
    for (const client of this.clients) {
      if (reaches(client.audience, notice)) this.send(client, chunk);
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

  private send(client: LiveClient, chunk: string): void {
    // A client that stops reading must not make the process buffer without bound; it reconnects and refetches.
    if (client.write(chunk)) return;
    this.options.warn('live: dropped a client that fell too far behind');
    this.remove(client);
    client.end().catch(() => undefined);
  }

  private remove(client: LiveClient): void {
    this.clients.delete(client);
    if (this.clients.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = null;
    }
  }
}
