import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { loadDemoTown } from '../../src/modules/demo/demo.loader.ts';
import type { DemoYearFigures, DemoYearOptions } from '../../src/modules/demo/demo.year.ts';
import type { AppDeps } from '../../src/deps.ts';
import { createTestApp, login, type TestApp } from './app.ts';
import { createTestDatabase, type TestDatabase, testEngine } from './engine.ts';
import { PASSWORD, type SeededTown, type StoryTown, seedStoryTown, seedTown } from './factory.ts';
import { Actor } from './matters.ts';

export type DemoTown = Awaited<ReturnType<typeof loadDemoTown>>;

/**
 * What a test file's database holds besides the reference data: seedTown ('town', the default), seedStoryTown
 * ('story'), the demo town ('demo'), nothing ('none'), or whatever a function of the app loads (its result is t.town).
 */
export type TownSeed = 'town' | 'story' | 'demo' | 'none' | ((app: TestApp) => Promise<unknown>);

export type SeedResult<S> = S extends 'story' ? StoryTown : S extends 'demo' ? DemoTown : S extends 'none' ? null
  : S extends (app: TestApp) => Promise<infer T> ? T : SeededTown;

export interface TestTownOptions<S extends TownSeed> {
  seed?: S;
  /** With seed 'demo': also replay a demo year (a few hundred matters, and a fixed `end` for figures that never move); t.year. */
  demoYear?: DemoYearOptions;
  /** Environment read into the app's configuration over the tests' own (see createTestApp). */
  env?: Record<string, string>;
  /** Serve on a real port of 127.0.0.1 (live streams, browsers): t.base is its address. */
  listen?: boolean;
  /** PGlite keeps its files in a temporary folder instead of in memory, so t.restart() finds the data again (PostgreSQL always does). */
  persistent?: boolean;
  /**
   * Gives the app this many ms to close, then goes on and drops the database all the same: for the stories, where a
   * request that never answers (a lock held forever) fails its own step instead of holding the teardown.
   */
  closeWithin?: number;
  /** The set-up hook's timeout in ms, for seeds slower than vitest's hookTimeout. */
  timeout?: number;
}

type Headers = Record<string, string>;
type Each<N extends readonly string[], T> = { [K in keyof N]: T };

/**
 * One app over a fresh database with a seeded town for a test file (or a describe block), built in beforeAll and
 * closed in afterAll, its database dropped (PostgreSQL) however the file went. Read the app as t.app, t.deps and
 * t.database, the seed as t.town. A file's own beforeAll, declared after useTestTown, runs after this set-up, and
 * its afterAll before the teardown.
 *
 *   describe('widgets', () => {
 *     const t = useTestTown();                                  // { seed: 'story' | 'demo' | …, listen, env, … }
 *     const [centre, worker] = t.actors('t_centre', 't_worker11'); // logged in by the set-up
 *     it('…', async () => { await centre.ok('POST', '/api/widgets', { gridId: t.town.g11.id }); });
 *   });
 *
 * Browser tests add `const b = useBrowser({ … })` (helpers/browser.ts) below it, with { listen: true } here.
 */
export function useTestTown<S extends TownSeed = 'town'>(options: TestTownOptions<S> = {}): TestTown<SeedResult<S>> {
  const t = new TestTown<SeedResult<S>>(options);
  beforeAll(() => t.setUp(), options.timeout);
  afterAll(() => t.tearDown());
  return t;
}

export class TestTown<Town> {
  #options: TestTownOptions<TownSeed>;
  #database: TestDatabase | null = null;
  #current: TestApp | null = null;
  #others: TestApp[] = [];
  #dirs: string[] = [];
  #filesDir = '';
  #town: { value: Town } | null = null;
  #year: DemoYearFigures | null = null;
  #base: string | null = null;
  #logins: { username: string; password: string; headers: Headers }[] = [];
  #started = false;

  constructor(options: TestTownOptions<TownSeed>) {
    this.#options = options;
  }

  get app(): FastifyInstance {
    return this.#app().app;
  }

  get deps(): AppDeps {
    return this.#app().deps;
  }

  get database(): TestDatabase {
    return this.#app().database;
  }

  get town(): Town {
    if (!this.#town) throw new Error('t.town is read in a test or a hook, once useTestTown has set up');
    return this.#town.value;
  }

  /** The demo year's figures (option demoYear). */
  get year(): DemoYearFigures {
    if (!this.#year) throw new Error('t.year needs useTestTown({ seed: \'demo\', demoYear: { … } })');
    return this.#year;
  }

  /** http://127.0.0.1:port of the listening app (option listen). */
  get base(): string {
    if (this.#base === null) throw new Error('t.base needs useTestTown({ listen: true })');
    return this.#base;
  }

  /** Logs in now and returns the session cookie header. */
  login(username: string, password = PASSWORD): Promise<Headers> {
    return login(this.app, username, password);
  }

  /** An actor logged in now (at the current, maybe moved, clock). */
  as(username: string, password = PASSWORD): Promise<Actor> {
    return Actor.as(this.app, username, password);
  }

  /**
   * Session cookie headers for these accounts, declared where the file declares its set-up and logged in by it,
   * after the seed and in the order declared; each object is filled in place before the first test runs.
   */
  sessions<const N extends readonly string[]>(...usernames: N): Each<N, Headers> {
    if (this.#started) throw new Error('t.sessions() declares logins for the set-up; inside a test use await t.login()');
    return usernames.map((username) => {
      const headers: Headers = {};
      this.#logins.push({ username, password: PASSWORD, headers });
      return headers;
    }) as Each<N, Headers>;
  }

  /** Actors for these accounts, logged in by the set-up like sessions() (then also after t.restart(), on the new app). */
  actors<const N extends readonly string[]>(...usernames: N): Each<N, Actor> {
    const sessions = this.sessions(...usernames) as readonly Headers[];
    return usernames.map((username, i) => Actor.withSession(() => this.app, username, sessions[i] ?? {})) as Each<N, Actor>;
  }

  /** A second app copy over the same database (another config through env), closed with this one unless closed first. */
  async another(options: { env?: Record<string, string> } = {}): Promise<TestApp> {
    const other = once(await createTestApp({ database: this.database, env: { ...this.#options.env, ...options.env } }));
    this.#others.push(other);
    return other;
  }

  /**
   * A restart: closes the app and the database handle, reopens the same storage (option persistent on PGlite) and
   * builds a new app over it with the same uploads folder; t.app and t.deps are then the new app's.
   */
  async restart(): Promise<TestApp> {
    const first = this.#app();
    await first.close();
    const database = await first.database.reopen();
    this.#database = database;
    this.#current = once(await createTestApp({ database, filesDir: this.#filesDir, env: this.#options.env }));
    return this.#current;
  }

  /** The beforeAll of useTestTown. */
  async setUp(): Promise<void> {
    this.#started = true;
    const o = this.#options;
    const pgliteDir = o.persistent && testEngine === 'pglite' ? await this.#tempDir('dualgrid-pglite-') : undefined;
    this.#database = await createTestDatabase({ pgliteDir });
    // Uploads go to a temporary folder of the town's own, kept across t.restart() and removed at the end.
    this.#filesDir = await this.#tempDir('dualgrid-files-');
    this.#current = once(await createTestApp({ database: this.#database, filesDir: this.#filesDir, env: o.env }));
    this.#town = { value: (await this.#seed(this.#current)) as Town };
    for (const { username, password, headers } of this.#logins) Object.assign(headers, await login(this.app, username, password));
    if (o.listen) this.#base = await this.app.listen({ port: 0, host: '127.0.0.1' });
  }

  /** The afterAll of useTestTown: every app closed, the database dropped and the folders removed, whatever failed. */
  async tearDown(): Promise<void> {
    const limit = this.#options.closeWithin;
    const bounded = (what: string, step: Promise<void>) => (limit === undefined ? step : within(limit, what, step).catch(() => undefined));
    try {
      for (const other of this.#others.reverse()) await other.close();
      if (this.#current) await bounded('closing the test app', this.#current.close());
    } finally {
      if (this.#database) await bounded('dropping the test database', this.#database.destroy());
      for (const dir of this.#dirs) await rm(dir, { recursive: true, force: true });
    }
  }

  async #seed(app: TestApp): Promise<unknown> {
    const seed = this.#options.seed ?? 'town';
    if (typeof seed === 'function') return seed(app);
    if (seed === 'town') return seedTown(app.deps);
    if (seed === 'story') return seedStoryTown(app.deps);
    if (seed === 'none') return null;
    // The demo modules load only for the files that ask for them.
    const { loadDemoTown } = await import('../../src/modules/demo/demo.loader.ts');
    const figures = await loadDemoTown(app.deps);
    if (this.#options.demoYear) {
      const { loadDemoYear } = await import('../../src/modules/demo/demo.year.ts');
      this.#year = await loadDemoYear(app.deps, this.#options.demoYear);
    }
    return figures;
  }

  async #tempDir(prefix: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    this.#dirs.push(dir);
    return dir;
  }

  #app(): TestApp {
    if (!this.#current) throw new Error('the test app is read in a test or a hook, once useTestTown has set up');
    return this.#current;
  }
}

/** The same app whose close() runs once: a test may close a copy itself, and the teardown closes what is left. */
function once(app: TestApp): TestApp {
  let closing: Promise<void> | null = null;
  return {
    ...app,
    close: () => {
      closing = closing ?? app.close();
      return closing;
    },
  };
}

/**
 * Fails with `what` when `promise` does not settle within `ms`: a request that never answers (a lock held
 * forever) then fails its own step quickly instead of timing the whole test out.
 */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
