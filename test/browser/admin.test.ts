import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { DESKTOP, fillLogin } from '../helpers/pages.ts';
import { useTestTown } from '../helpers/town.ts';

/** Calls the API from inside the page, with the admin's session cookie. */
const api = <T>(page: Page, url: string) => page.evaluate(async (u) => {
  const r = await fetch(u);
  return { status: r.status, body: await r.json() };
}, url) as Promise<{ status: number; body: T }>;

/** An Element Plus input by its data-test (the attribute lands on the <input> itself, or on a wrapper). */
const field = (page: Page, name: string) => page.locator(`input[data-test="${name}"], [data-test="${name}"] input`).first();

/** Picks an option of an Element Plus select: open it, type to search, click the option. */
async function choose(page: Page, select: string, search: string, option: string) {
  await page.locator(select).click();
  await page.locator(select).locator('input').fill(search);
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
}

describe('the admin console in a browser', () => {
  const t = useTestTown({ listen: true });
  const b = useBrowser({ context: { viewport: DESKTOP }, screenshots: 'admin' });

  it('builds a community and a grid, draws its boundary, adds a grid worker, edits a deadline and marks a holiday', async () => {
    const { page, problems } = b;
    await fillLogin(page, t.base, '/console/admin/tree', 't_admin');

    // The tree starts at the admin's town; add a community under it, then a grid under that.
    await page.locator('[data-test="tree-node-500105004000"]').click();
    await page.locator('[data-test="node-detail"]', { hasText: '观音桥街道' }).waitFor();
    await page.locator('[data-test="tree-node-500105004001"]').waitFor();
    await page.locator('[data-test="add-child"]').click();
    await field(page, 'create-name').fill('新华社区');
    expect(await field(page, 'create-code').inputValue()).toBe('500105004003');
    // A wrong code is refused in plain words, and nothing is created.
    await field(page, 'create-code').fill('5001050040031');
    await page.locator('[data-test="create-submit"]').click();
    await page.locator('[data-test="create-error"]', { hasText: '编码不符合规则' }).waitFor();
    expect(await t.deps.db.selectFrom('nodes').select('id').where('name', '=', '新华社区').execute()).toEqual([]);
    // Chromium logs the refused request itself; that one is expected, anything else is not.
    expect(problems).toEqual([expect.stringContaining('400 (Bad Request)')]);
    problems.length = 0;
    await field(page, 'create-code').fill('500105004003');
    await page.locator('[data-test="create-submit"]').click();
    await page.locator('[data-test="node-detail"]', { hasText: '新华社区' }).waitFor();
    await page.locator('[data-test="tree-node-500105004003"]').click();
    await page.locator('[data-test="add-child"]').click();
    await field(page, 'create-name').fill('新华1网格');
    expect(await field(page, 'create-code').inputValue()).toBe('500105004003001');
    await page.locator('[data-test="create-submit"]').click();
    await page.locator('[data-test="node-detail"]', { hasText: '新华1网格' }).waitFor();
    const grid = await t.deps.db.selectFrom('nodes').select(['id', 'parent_id']).where('code', '=', '500105004003001').executeTakeFirstOrThrow();
    await page.locator('[data-test="tree-node-500105004001"]').click();
    await page.locator('[data-test="node-detail"]', { hasText: '花园社区' }).waitFor();
    await page.locator('[data-test="tree-node-500105004001002"]').waitFor();
    if (process.env.SCREENSHOTS) {
      // Let the tree's expand animation and the toast settle before the picture.
      await page.waitForFunction("!document.querySelector('.el-collapse-transition-enter-active, .el-collapse-transition-leave-active')");
      await page.waitForFunction("!document.querySelector('.el-message')");
      await b.shot(page, 'tree');
    }

    // Draw the new grid's boundary: four corners, then the first corner again to close it; save.
    await page.goto(`${t.base}/console/admin/grids/${grid.id}`);
    await page.locator('[data-test="draw"]').click(); // enabled once the map and its editor are ready
    await page.locator('[data-test="boundary-editor"].leaflet-container').waitFor();
    const box = await page.locator('[data-test="boundary-editor"]').boundingBox();
    if (!box) throw new Error('no map');
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const corners: Array<[number, number]> = [[cx - 120, cy - 90], [cx + 120, cy - 90], [cx + 120, cy + 90], [cx - 120, cy + 90], [cx - 120, cy - 90]];
    for (const [x, y] of corners) await page.mouse.click(x, y);
    await page.locator('[data-test="unsaved"]').waitFor();
    await page.locator('[data-test="save-boundary"]').click();
    await page.locator('[data-test="unsaved"]').waitFor({ state: 'detached' });
    const saved = await api<{ boundary: { type: string; coordinates: number[][][] } | null }>(page, `/api/nodes/${grid.id}`);
    expect(saved.body.boundary?.type).toBe('Polygon');
    const ring = saved.body.boundary?.coordinates[0] ?? [];
    expect(ring).toHaveLength(5);
    const lng = ring.slice(0, 4).reduce((s, p) => s + (p[0] ?? 0), 0) / 4;
    const lat = ring.slice(0, 4).reduce((s, p) => s + (p[1] ?? 0), 0) / 4;
    const located = await api<{ grid: { id: number } | null }>(page, `/api/geo/locate?lng=${lng}&lat=${lat}`);
    expect(located.body.grid?.id).toBe(grid.id);
    await b.shot(page, 'grid-new');

    // The grid picker, and an existing grid among its neighbours.
    await page.goto(`${t.base}/console/admin/grids`);
    await page.locator('[data-test="grid-picker"]', { hasText: '新华1网格' }).waitFor();
    await b.shot(page, 'grids');
    await page.goto(`${t.base}/console/admin/grids/${t.town.g11.id}`);
    await page.locator('[data-test="boundary-editor"] .leaflet-interactive').first().waitFor();
    await page.locator('[data-test="buildings"]', { hasText: '1栋' }).waitFor();
    await b.shot(page, 'grid');

    // A new account with a grid worker role on the new grid.
    await page.goto(`${t.base}/console/admin/people`);
    await page.locator('[data-test="users-table"]', { hasText: 't_worker11' }).waitFor();
    await b.shot(page, 'people');
    await page.locator('[data-test="add-user"]').click();
    await field(page, 'new-username').fill('w_xinhua1');
    await field(page, 'new-displayname').fill('新华网格员');
    await field(page, 'new-password').fill('a-good-password-1');
    await choose(page, '[data-test="user-dialog"] [data-test="role-node"]', '新华', '新华1网格');
    await page.locator('[data-test="user-submit"]').click();
    await page.locator('[data-test="users-table"]', { hasText: 'w_xinhua1' }).waitFor();
    expect(await page.locator('[data-test="users-table"] tr', { hasText: 'w_xinhua1' }).innerText()).toContain('网格员 @ 新华1网格');
    const roles = await t.deps.db.selectFrom('role_assignments').innerJoin('users', 'users.id', 'role_assignments.user_id')
      .select(['role_assignments.role', 'role_assignments.node_id']).where('users.username', '=', 'w_xinhua1').execute();
    expect(roles).toEqual([{ role: 'grid_worker', node_id: grid.id }]);

    // Residents are masked; revealing says it is audited.
    await page.locator('.el-tabs__item', { hasText: '居民' }).click();
    await page.locator('[data-test="residents-table"]', { hasText: '138****5678' }).waitFor();
    await page.locator(`[data-test="reveal-${t.town.residents.r11}"]`).click();
    await page.locator('[data-test="audited-note"]', { hasText: '审计' }).waitFor();
    await field(page, 'reveal-reason').fill('上门走访需要联系本人');
    await b.shot(page, 'reveal');
    await page.locator('[data-test="reveal-submit"]').click();
    await page.locator('[data-test="residents-table"]', { hasText: '13812345678' }).waitFor();

    // A category's deadline.
    await page.goto(`${t.base}/console/admin/categories`);
    const first = page.locator('[data-test="categories-table"] .el-table__body tr').first();
    await first.waitFor();
    const code = ((await first.locator('td').first().innerText()) ?? '').trim();
    await b.shot(page, 'categories');
    await page.locator(`[data-test="edit-${code}"]`).click();
    await field(page, 'deadline-amount').fill('7');
    await page.locator('[data-test="category-submit"]').click();
    await page.locator(`[data-test="deadline-${code}"]`, { hasText: /^7 / }).waitFor();
    const cat = await t.deps.db.selectFrom('categories').select(['deadline_amount']).where('code', '=', code).executeTakeFirstOrThrow();
    expect(cat.deadline_amount).toBe(7);

    // A holiday in the calendar.
    const year = new Date().getFullYear();
    const day = `${year}-03-10`;
    await page.goto(`${t.base}/console/admin/calendar`);
    await page.locator(`[data-day="${day}"]`).click();
    await page.locator('[data-test="day-kind"] .el-radio-button', { hasText: '放假' }).click();
    await field(page, 'day-name').fill('测试假日');
    await page.locator('[data-test="day-submit"]').click();
    await page.locator(`[data-day="${day}"].holiday`).waitFor();
    const cal = await api<{ items: Array<{ day: string; kind: string }> }>(page, `/api/calendar?year=${year}`);
    expect(cal.body.items).toContainEqual(expect.objectContaining({ day, kind: 'holiday' }));
    await b.shot(page, 'calendar');

    await page.goto(`${t.base}/console/admin/online-groups`);
    await page.locator('[data-test="groups-table"]', { hasText: '花园1网格群' }).waitFor();
    await page.locator('[data-test="coverage-communities"]', { hasText: '花园社区' }).waitFor();
    await b.shot(page, 'online-groups');

    expect(problems).toEqual([]);
  }, 240_000);
});
