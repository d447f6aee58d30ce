import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { PASSWORD } from './factory.ts';

export const PHONE = { width: 360, height: 740 } as const;
export const DESKTOP = { width: 1440, height: 900 } as const;
/** A phone as the grid worker holds one: PHONE-sized, touch, 2× pixels, zh-CN (browser context options). */
export const PHONE_CONTEXT = { viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' } as const;

/**
 * Console errors, warnings and uncaught page errors seen on a page, except those `allow` matches (the network
 * being off, say); tests assert the list stays empty.
 */
export function watchConsole(page: Page, problems: string[], allow: RegExp[] = []): void {
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !allow.some((a) => a.test(m.text()))) problems.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
}

/** The shared login page as a person fills it: /login?next=…, the username, the password, the submit button. */
export async function fillLogin(page: Page, base: string, next: string, username: string, password = PASSWORD): Promise<void> {
  await page.goto(`${base}/login?next=${encodeURIComponent(next)}`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.locator('button[type=submit]').click();
}

/** The grid worker signs in on the shared login page (no 401 on the way: /login asks nothing of the API) and lands on /m/'s inbox. */
export async function signInToInbox(page: Page, base: string, username = 't_worker11'): Promise<void> {
  await fillLogin(page, base, '/m/', username);
  await page.locator('[data-test=inbox][data-loaded="1"]').waitFor();
}

export interface Person { context: BrowserContext; page: Page }

/**
 * A person in their own browser context (own cookies; useBrowser's b.newContext closes it at the end), signed in through the login
 * page as a person would, then on `path`. Phone-sized unless told otherwise.
 */
export async function signIn(b: { newContext(options: BrowserContextOptions): Promise<BrowserContext> }, base: string, username: string, path: string, problems: string[],
  viewport: { width: number; height: number } = PHONE, password = PASSWORD): Promise<Person> {
  const context = await b.newContext({ viewport, baseURL: base });
  const page = await context.newPage();
  watchConsole(page, problems);
  await fillLogin(page, base, path, username, password);
  await page.waitForURL((u) => u.pathname.startsWith(path.split('?')[0] ?? path));
  return { context, page };
}
