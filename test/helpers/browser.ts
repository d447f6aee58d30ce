import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { watchConsole } from './pages.ts';

/** Debian's chromium (apt-get install chromium); .ci/run installs it. Tests never download a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No browser at ${CHROMIUM}: run "apt-get install -y chromium" (as .ci/run does) or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface UseBrowserOptions {
  /**
   * Opens a context of these options (zh-CN unless told) and a page in it, b.context and b.page, for each test
   * (fresh 'test', the default: closed after it) or once for the file (fresh 'file'). A function gives options
   * known only once the app is up (a position read from the database).
   */
  context?: BrowserContextOptions | (() => BrowserContextOptions | Promise<BrowserContextOptions>);
  fresh?: 'test' | 'file';
  /** Console messages on b.page that are the network, not the page, and stay out of b.problems. */
  allow?: RegExp[];
  /** With SCREENSHOTS=1, b.shot(page, name) writes docs/screenshots/<screenshots>-<name>.png. */
  screenshots?: string;
}

/**
 * Chromium for a test file, launched in beforeAll (after the app of a useTestTown declared before it) and closed,
 * with every context opened through it, in afterAll.
 */
export function useBrowser(options: UseBrowserOptions = {}): TestBrowser {
  const b = new TestBrowser(options);
  beforeAll(() => b.launch());
  afterAll(() => b.close());
  if (options.context && options.fresh === 'file') {
    beforeAll(() => b.openOwn());
  } else if (options.context) {
    beforeEach(() => b.openOwn());
    afterEach(() => b.closeOwn());
  }
  return b;
}

export class TestBrowser {
  #options: UseBrowserOptions;
  #browser: Browser | null = null;
  #contexts: BrowserContext[] = [];
  #own: { context: BrowserContext; page: Page; problems: string[] } | null = null;

  constructor(options: UseBrowserOptions) {
    this.#options = options;
  }

  get browser(): Browser {
    if (!this.#browser) throw new Error('the browser is read in a test or a hook, once useBrowser has launched it');
    return this.#browser;
  }

  /** The context of option `context`. */
  get context(): BrowserContext {
    return this.#ownOrThrow().context;
  }

  /** The page in b.context. */
  get page(): Page {
    return this.#ownOrThrow().page;
  }

  /** Console errors, warnings and page errors seen on b.page since its context opened; tests expect none. */
  get problems(): string[] {
    return this.#ownOrThrow().problems;
  }

  /** A page in a new context of its own (zh-CN unless told), closed with the browser. */
  newPage(options: BrowserContextOptions = {}): Promise<Page> {
    return this.browser.newPage({ locale: 'zh-CN', ...options });
  }

  /** A new context (zh-CN unless told), closed at the end of the file. */
  async newContext(options: BrowserContextOptions = {}): Promise<BrowserContext> {
    const context = await this.browser.newContext({ locale: 'zh-CN', ...options });
    this.#contexts.push(context);
    return context;
  }

  /** A picture of the page for the docs, only with SCREENSHOTS=1. */
  shot = async (page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> => {
    const prefix = this.#options.screenshots ? `${this.#options.screenshots}-` : '';
    if (process.env.SCREENSHOTS) await page.screenshot({ path: `docs/screenshots/${prefix}${name}.png`, ...options });
  };

  async launch(): Promise<void> {
    this.#browser = await launchBrowser();
  }

  async openOwn(): Promise<void> {
    const given = this.#options.context;
    const options = typeof given === 'function' ? await given() : given;
    const context = await this.newContext(options);
    const page = await context.newPage();
    const problems: string[] = [];
    watchConsole(page, problems, this.#options.allow);
    this.#own = { context, page, problems };
  }

  async closeOwn(): Promise<void> {
    await this.#own?.context.close().catch(() => undefined);
    this.#own = null;
  }

  async close(): Promise<void> {
    for (const context of this.#contexts) await context.close().catch(() => undefined);
    await this.#browser?.close();
  }

  #ownOrThrow() {
    if (!this.#own) throw new Error('b.context, b.page and b.problems need useBrowser({ context: … }), read in a test');
    return this.#own;
  }
}
