import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { DESKTOP, PHONE, signIn } from '../helpers/pages.ts';
import { useTestTown } from '../helpers/town.ts';

// What every area owes the person in it: who is signed in and a way out, its own "no such page", statistics
// that open on the month and say how each figure is counted, large text on every button, and titles that wrap.
describe('every area in a browser', () => {
  const t = useTestTown({ listen: true });
  const b = useBrowser({ screenshots: 'areas' });
  const problems: string[] = [];
  // A title a person might paste: long, with an unbroken run of digits and Latin letters that would not wrap by itself.
  const LONG = '花园路19号附2号楼后面巷子头的下水道盖板烂了好几天莫得人来修娃儿要过ZX2026120200018835';
  let matterId: number;

  beforeAll(async () => {
    const centre = await t.as('t_centre');
    const m = await centre.ok<{ id: number }>('POST', '/api/matters', {
      source: 'hotline', channel: 'phone', title: LONG, description: '盖板烂了，晚上看不到，怕有人踩进去', location: { nodeId: t.town.g11.id },
    });
    matterId = m.id;
    const community = await t.as('t_staff1');
    await community.step(matterId, 'register', { categoryCode: 'S03002', scope: 'household', complexity: 'simple' });
    await community.step(matterId, 'dispatch', { lead: { kind: 'node', id: t.town.g11.id } });
  });

  /** Chinese on the page and no English words in the element (codes and numbers aside). */
  const english = (s: string) => s.match(/[A-Za-z]{3,}/g) ?? [];
  const widest = (page: Page) => page.evaluate(() => {
    const d = (globalThis as unknown as { document: { scrollingElement: { scrollWidth: number } } }).document;
    return d.scrollingElement.scrollWidth;
  });

  it('shows who is signed in on /dept and /screen, and signs out from each', async () => {
    const dept = await signIn(b, t.base, 't_police', '/dept', problems, DESKTOP);
    await dept.page.locator('[data-test=signed-in] [data-test=me]').waitFor();
    expect((await dept.page.locator('[data-test=signed-in] [data-test=me]').innerText()).trim()).not.toBe('');
    await b.shot(dept.page, 'dept-signed-in');
    await dept.page.locator('[data-test=signed-in] [data-test=logout]').click();
    await dept.page.waitForURL(/\/login\?next=/);
    // The page leaves first and ends the session after (no live stream asks again without one): wait for it.
    await expect.poll(async () => (await dept.page.request.get(`${t.base}/api/auth/session`).then((r) => r.json())).me, { timeout: 10_000 }).toBeNull();

    const screen = await signIn(b, t.base, 't_centre', '/screen', problems, { width: 1920, height: 1080 });
    await screen.page.locator('[data-test=signed-in] [data-test=me]').waitFor();
    await screen.page.locator('[data-test=signed-in] [data-test=logout]').click();
    await screen.page.waitForURL(/\/login\?next=(%2F|\/)screen/);
  });

  it('answers an unknown path inside each area with the app\'s own page, in the area\'s frame, in Chinese', async () => {
    const centre = await signIn(b, t.base, 't_centre', '/console', problems, DESKTOP);
    await centre.page.goto(`${t.base}/console/no-such-page`);
    const nf = centre.page.locator('[data-test=not-found]');
    await nf.waitFor();
    expect(await nf.innerText()).toContain('这个页面不存在');
    expect(english((await nf.innerText()).replace('/console/no-such-page', ''))).toEqual([]);
    expect(await centre.page.locator('[data-test=me]').count()).toBe(1); // the console's own frame stays
    expect(await nf.locator('[data-test=not-found-home]').getAttribute('href')).toBe('/console/');
    await b.shot(centre.page, 'console-404');

    const worker = await signIn(b, t.base, 't_worker11', '/m', problems, PHONE);
    await worker.page.goto(`${t.base}/m/nope/deeper`);
    await worker.page.locator('[data-test=not-found]').waitFor();
    expect(await worker.page.locator('.van-nav-bar__title').innerText()).toBe('页面不存在');
    expect(await worker.page.locator('[data-test=not-found-home]').getAttribute('href')).toBe('/m/');
    await b.shot(worker.page, 'worker-404');

    const police = await signIn(b, t.base, 't_police', '/dept', problems, PHONE);
    await police.page.goto(`${t.base}/dept/whatever`);
    await police.page.locator('[data-test=not-found]').waitFor();
    expect(await police.page.locator('[data-test=signed-in]').count()).toBe(1);
  });

  it('opens statistics on this month so far and explains each column', async () => {
    const { page } = await signIn(b, t.base, 't_centre', '/console/stats', problems, DESKTOP);
    await page.locator('[data-test=stats-summary]').waitFor();
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    expect(await page.locator('[data-test=stats-range-note]').innerText()).toContain(`${today.slice(0, 8)}01 至 ${today}`);
    await page.locator('[data-test=stats-summary] [data-test=explain-closureRate]').hover();
    await page.locator('.el-popper:visible', { hasText: '已结 ÷ 应结' }).waitFor();
    await b.shot(page, 'stats-explained');
  });

  it('enlarges every button label in the large-text mode and wraps long titles at 360 px', async () => {
    const worker = await signIn(b, t.base, 't_worker11', `/m/matters/${matterId}`, problems, PHONE);
    await worker.page.locator('[data-test=matter-title], h2').first().waitFor();
    expect(await worker.page.content()).toContain('ZX2026120200018835');
    expect(await widest(worker.page)).toBeLessThanOrEqual(PHONE.width);
    await b.shot(worker.page, 'worker-long-title');

    const { page } = await signIn(b, t.base, 't_centre', '/r', problems, PHONE);
    await page.locator('[data-test=r-large-switch]').click();
    await page.locator('[data-test=r-large-toggle][data-on="1"]').waitFor();
    for (const path of ['/r', '/r/report', '/r/mine']) {
      await page.goto(`${t.base}${path}`);
      await page.locator('.resident .r-page').first().waitFor();
      await page.waitForLoadState('networkidle');
      const small = await page.locator('button:visible, [role=button]:visible, .van-button:visible').evaluateAll((els) =>
        els.map((el) => {
          const w = globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } };
          const label = (el as { innerText?: string }).innerText?.trim() ?? '';
          const inner = (el as { querySelector(s: string): unknown }).querySelector('.van-button__text') ?? el;
          return { label, size: Number.parseFloat(w.getComputedStyle(inner).fontSize) };
        }).filter((x) => x.label !== '' && x.size < 20));
      expect(small, path).toEqual([]);
      expect(await widest(page), path).toBeLessThanOrEqual(PHONE.width);
    }
    await b.shot(page, 'resident-large-report');
    expect(problems).toEqual([]);
  });
});
