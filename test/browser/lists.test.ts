import { beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { DESKTOP, PHONE, signIn } from '../helpers/pages.ts';
import { useTestTown } from '../helpers/town.ts';

// No list stops at a page size without saying so: the department's 已办结 tab (20 a page) and the
// administrators' online groups (100 a page) hold more rows than one page; each says how many it shows and
// that more remain, and loads the rest when asked.
describe('lists longer than a page, in a browser', () => {
  const t = useTestTown({ listen: true, timeout: 240_000 });
  const b = useBrowser({ screenshots: 'lists' });
  const DONE = 23;
  const GROUPS = 104;

  beforeAll(async () => {
    const centre = await t.as('t_centre');
    const police = await t.as('t_police');
    const admin = await t.as('t_admin');
    for (let i = 0; i < DONE; i++) {
      const m = await centre.ok<{ id: number }>('POST', '/api/matters', { source: 'hotline', channel: 'phone', description: `第${i + 1}起：路口车子乱停，堵得走不动`, location: { nodeId: t.town.g11.id } });
      await centre.step(m.id, 'register', { categoryCode: 'S06001' });
      await centre.step(m.id, 'dispatch', { lead: { kind: 'department', id: t.town.police.id } });
      await police.step(m.id, 'accept');
      await police.step(m.id, 'handle', { note: '已劝离违停车辆' });
    }
    // seedTown binds one group already; these make more than one page of 100.
    for (let i = 1; i < GROUPS; i++) {
      await admin.ok('POST', '/api/online-groups', { gridId: i % 2 ? t.town.g11.id : t.town.g12.id, platform: 'wecom', externalId: `wrMany${i}`, name: `楼栋${i}号群` });
    }
  }, 240_000);

  it('the department done tab shows a page, says more remain, and loads the rest', async () => {
    const problems: string[] = [];
    const { page } = await signIn(b, t.base, 't_police', '/dept?tab=done', problems, PHONE);
    const items = page.locator('[data-test=list-done] [data-test=matter-item]');
    await items.first().waitFor();
    expect(await items.count()).toBe(20);
    const more = page.locator('.van-tab__panel [data-test=more-rows]').filter({ has: page.locator('[data-test=load-more]') });
    await more.first().waitFor();
    expect(await page.locator('[data-test=load-more]').first().innerText()).toContain('已显示 20 条，还有更多');
    await b.shot(page, 'dept-done-first-page');
    // Scrolling to the end loads the next page, as van-list does for a person's thumb.
    await page.locator('[data-test=load-more]').first().scrollIntoViewIfNeeded();
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(DONE);
    await page.getByText(`共 ${DONE} 条`).first().waitFor();
    expect(await page.locator('[data-test=load-more]:visible').count()).toBe(0);
    // Every matter once.
    const ids = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    expect(new Set(ids).size).toBe(DONE);
    await b.shot(page, 'dept-done-all');
    expect(problems).toEqual([]);
  });

  it('the groups page says 已显示 100 条 of more, not 共 100 个群, and loads the rest', async () => {
    const problems: string[] = [];
    const { page } = await signIn(b, t.base, 't_admin', '/console/admin/online-groups', problems, DESKTOP);
    const count = page.locator('[data-test=groups-count]');
    await expect.poll(() => count.innerText(), { timeout: 15_000 }).toBe('已显示 100 条，还有更多');
    await b.shot(page, 'groups-first-page');
    await page.locator('[data-test=load-more]').click();
    await expect.poll(() => count.innerText(), { timeout: 15_000 }).toBe(`共 ${GROUPS} 个群`);
    expect(await page.locator('[data-test=more-count]').innerText()).toBe(`共 ${GROUPS} 条`);
    expect(await page.locator('[data-test=load-more]').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
