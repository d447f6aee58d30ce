import type { Page } from 'playwright-core';
import { PASSWORD } from '../helpers/factory.ts';

/** A real baseline JPEG, 5×4 grey (the same bytes as test/files.test.ts builds). */
export function tinyJpeg(): Buffer {
  const segment = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
  const oneCodeTable = (tableClass: number) => [tableClass, 1, ...new Array(15).fill(0), 0];
  return Buffer.from([
    0xff, 0xd8,
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...segment(0xdb, [0, ...new Array(64).fill(1)]),
    ...segment(0xc0, [8, 0, 4, 0, 5, 1, 1, 0x11, 0]),
    ...segment(0xc4, oneCodeTable(0x00)),
    ...segment(0xc4, oneCodeTable(0x10)),
    ...segment(0xda, [1, 1, 0, 0, 0x3f, 0]),
    0x3f,
    0xff, 0xd9,
  ]);
}

export const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' } as const;

/** Signs in on the shared login page (no 401 on the way: /login asks nothing of the API) and lands on /m/. */
export async function signIn(page: Page, base: string, username = 't_worker11'): Promise<void> {
  await page.goto(`${base}/login?next=/m/`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.locator('[data-test=inbox][data-loaded="1"]').waitFor();
}

export function watchConsole(page: Page, problems: string[], allow: RegExp[] = []): void {
  page.on('console', (m) => { if ((m.type() === 'error' || m.type() === 'warning') && !allow.some((a) => a.test(m.text()))) problems.push(`${page.url()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
}

