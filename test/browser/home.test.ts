import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoTown } from '../../src/modules/demo/demo.loader.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';

describe('the home page in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp();
    await loadDemoTown(t.deps);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the town’s figures with 100% coverage, and walks down the tree, without console errors', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(base);
    await page.locator('#tiles .tile').first().waitFor();
    const tiles = await page.locator('#tiles .tile').allInnerTexts();
    expect(tiles.join(' ')).toContain('149');
    expect(tiles.join(' ')).toContain('100.0%');
    // District → town → first community, by clicking rows as a person would; the page is ready when the
    // breadcrumb's current node (a plain span) names the row clicked.
    const open = async () => {
      const row = page.locator('#rows tr.clickable').first();
      const name = ((await row.locator('td').first().textContent()) ?? '').trim();
      await row.click();
      await page.locator('#crumbs > span', { hasText: name }).waitFor();
      return name;
    };
    await open();
    const community = await open();
    expect(community).toMatch(/社区|村/);
    expect(await page.locator('#rows tr.clickable').count()).toBeGreaterThan(10);
    if (process.env.SCREENSHOTS) await page.screenshot({ path: 'docs/screenshots/home-desktop.png', fullPage: false });
    const phone = await browser.newPage({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
    await phone.goto(base);
    await phone.locator('#tiles .tile').first().waitFor();
    if (process.env.SCREENSHOTS) await phone.screenshot({ path: 'docs/screenshots/home-phone.png' });
    expect(problems).toEqual([]);
  });
});
