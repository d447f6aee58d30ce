import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root: the server runs from here, as `npm start` runs it. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * `dualgrid serve` as a child process of its own process group (detached), so one kill(-pid) reaches it and
 * anything it started; its output goes to a log file that failures quote.
 */
export class ServerProcess {
  readonly exited: Promise<void>;
  #exitedWith: string | null = null;

  private constructor(readonly child: ChildProcess, readonly base: string, readonly logFile: string) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exitedWith = signal ?? `exit code ${code}`;
        resolve();
      });
    });
  }

  /** Spawns `node --import tsx src/main.ts serve` on a free port of 127.0.0.1 with this environment. */
  static spawn(env: Record<string, string>, logFile: string, port: number): ServerProcess {
    const log = openSync(logFile, 'a');
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
        cwd: ROOT, detached: true, stdio: ['ignore', log, log],
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
      });
      return new ServerProcess(child, `http://127.0.0.1:${port}`, logFile);
    } finally {
      closeSync(log); // the child holds its own copy of the descriptor
    }
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('the server process did not start');
    return this.child.pid;
  }

  /** How the process ended (a signal name or an exit code), or null while it runs. */
  get exitedWith(): string | null {
    return this.#exitedWith;
  }

  /** Waits until GET /readyz answers 200, failing with the log's tail when the process ends or time runs out. */
  async ready(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.#exitedWith !== null) throw new Error(`the server ended (${this.#exitedWith}) before it was ready\n${this.logTail()}`);
      const status = await fetch(`${this.base}/readyz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status, () => 0);
      if (status === 200) return;
      await sleep(100);
    }
    throw new Error(`the server was not ready within ${timeoutMs} ms\n${this.logTail()}`);
  }

  /** Sends a signal to the whole process group and waits until every process of it is gone. */
  async kill(signal: NodeJS.Signals, timeoutMs = 30_000): Promise<void> {
    signalGroup(this.pid, signal);
    await this.gone(timeoutMs);
  }

  /** Waits for the server process and then its whole group to be gone (PGlite allows one process on its folder). */
  async gone(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    await Promise.race([this.exited, sleep(timeoutMs)]);
    while (groupAlive(this.pid)) {
      if (Date.now() > until) throw new Error(`process group ${this.pid} still alive after ${timeoutMs} ms`);
      await sleep(20);
    }
    if (this.#exitedWith === null) throw new Error(`server ${this.pid} did not exit within ${timeoutMs} ms`);
  }

  /** SIGKILL to the group if anything of it is left: for teardown and the process's exit, never throws. */
  killNow(): void {
    if (this.child.pid !== undefined && groupAlive(this.child.pid)) signalGroup(this.child.pid, 'SIGKILL');
  }

  logTail(lines = 40): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no server log)';
    }
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

/** Whether any process of the group still exists (signal 0 checks without sending). */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A port of 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
