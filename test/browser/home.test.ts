import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { PHONE } from '../helpers/pages.ts';
import { useTestTown } from '../helpers/town.ts';

describe('the home page in a browser', () => {
  const t = useTestTown({ seed: 'demo', listen: true });
  const b = useBrowser({ context: { viewport: { width: 1280, height: 900 } }, screenshots: 'home' });

  it('shows the town’s figures with 100% coverage, and walks down the tree, without console errors', async () => {
    const { page, problems } = b;
    await page.goto(t.base);
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
    await b.shot(page, 'desktop', { fullPage: false });
    const phone = await b.newPage({ viewport: PHONE });
    await phone.goto(t.base);
    await phone.locator('#tiles .tile').first().waitFor();
    await b.shot(phone, 'phone');
    expect(problems).toEqual([]);
  });
});
