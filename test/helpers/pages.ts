import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PASSWORD } from './factory.ts';

export const PHONE = { width: 360, height: 740 } as const;
export const DESKTOP = { width: 1440, height: 900 } as const;

/** Console errors, warnings and uncaught page errors seen on a page; tests assert the list stays empty. */
export function watchConsole(page: Page, problems: string[]): void {
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
}

export interface Person { context: BrowserContext; page: Page }

/**
 * A person in their own browser context (own cookies), signed in through the login page as a person would,
 * then on `path`. Phone-sized unless told otherwise.
 */
export async function signIn(browser: Browser, base: string, username: string, path: string, problems: string[],
  viewport: { width: number; height: number } = PHONE, password = PASSWORD): Promise<Person> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', baseURL: base });
  const page = await context.newPage();
  watchConsole(page, problems);
  await page.goto(`/login?next=${encodeURIComponent(path)}`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.locator('button[type=submit]').click();
  await page.waitForURL((u) => u.pathname.startsWith(path.split('?')[0] ?? path));
  return { context, page };
}
