import { beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { tinyJpeg } from '../helpers/matters.ts';
import { PHONE_CONTEXT, signInToInbox } from '../helpers/pages.ts';
import { useTestTown } from '../helpers/town.ts';

/** The browser's own getComputedStyle (the test code is compiled without the DOM types). */
interface Styled { getComputedStyle(e: unknown): { color: string } }

describe('the grid worker’s phone pages in a browser', () => {
  const t = useTestTown({ listen: true });
  // Each test on a phone of its own, with the service worker allowed, as phones do.
  const b = useBrowser({ context: { ...PHONE_CONTEXT, serviceWorkers: 'allow' }, screenshots: 'worker' });
  let late: { id: number; code: string };
  let soon: { id: number; code: string };
  let taskId: number;

  beforeAll(async () => {
    const worker = await t.as('t_worker11');
    const community = await t.as('t_staff1');
    const centre = await t.as('t_centre');
    // Two matters dispatched to the grid: one due tomorrow, one already overdue.
    const dispatched = async (description: string) => {
      const m = await worker.ok<{ id: number; code: string }>('POST', '/api/matters', { source: 'patrol', channel: 'phone', description, location: { buildingId: t.town.building.id } });
      await community.step(m.id, 'register', { categoryCode: 'S03002', scope: 'household', complexity: 'simple' });
      await community.step(m.id, 'dispatch', { lead: { kind: 'node', id: t.town.g11.id } });
      return m;
    };
    soon = await dispatched('1栋2单元厨房水龙头坏了，家里没水');
    late = await dispatched('1栋楼道灯不亮好几天了');
    // The overdue sweep would set this; the test moves the due time into the past directly.
    await t.deps.db.updateTable('matters').set({ due_at: new Date(Date.now() - 5 * 3600_000), overdue: true }).where('id', '=', late.id).execute();
    const task = await centre.ok<{ id: number }>('POST', '/api/inspections', {
      nodeId: t.town.town.id, title: '汛前排查：易涝点', dueAt: new Date(Date.now() + 6 * 3600_000).toISOString(),
      points: [{ gridId: t.town.g11.id, name: '花园路雨水口', lng: 106.503, lat: 29.505 }, { gridId: t.town.g11.id, name: '花园路下穿道' }],
    });
    taskId = task.id;
    const bound = await community.ok<{ items: unknown[] }>('GET', `/api/online-groups?gridId=${t.town.g11.id}`);
    if (!bound.items.length) await community.ok('POST', '/api/online-groups', { gridId: t.town.g11.id, platform: 'wecom', externalId: 'wrG11', name: '花园1网格居民群' });
  });

  it('logs in, sees the inbox due soonest first with the overdue one in red, records a matter with a photo and a map tap, handles a matter, checks a point, logs a visit', async () => {
    const { page, problems } = b;
    await signInToInbox(page, t.base);

    // Inbox: due soonest first, so the overdue matter leads, in red.
    const items = page.locator('[data-test=inbox-item]');
    expect(await items.count()).toBe(2);
    expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))).toEqual([late.code, soon.code]);
    expect(await items.first().getAttribute('data-overdue')).toBe('1');
    expect(await items.nth(1).getAttribute('data-overdue')).toBe('0');
    expect(await items.first().locator('[data-test=inbox-due]').evaluate((e) => (globalThis as unknown as Styled).getComputedStyle(e).color)).toBe('rgb(211, 47, 47)');
    expect(await items.nth(1).locator('[data-test=inbox-due]').evaluate((e) => (globalThis as unknown as Styled).getComputedStyle(e).color)).not.toBe('rgb(211, 47, 47)');
    expect(await items.first().innerText()).toContain('已超期');
    await b.shot(page, 'inbox');

    // Record: description → suggested category; a photo; a tap on the grid map → its grid; submit.
    await page.click('[data-test=tab-record]');
    await page.fill('[data-test=record-description] textarea', '1栋楼道里堆放杂物，堵塞消防通道');
    await page.locator('[data-test=record-suggestion]').first().waitFor();
    const suggested = await page.getAttribute('[data-test=record-category]', 'data-code');
    const category = await t.deps.db.selectFrom('categories').select(['id', 'code']).where('code', '=', suggested ?? '').executeTakeFirstOrThrow();
    await page.setInputFiles('[data-test=record-photos] input[type=file]', { name: 'scene.jpg', mimeType: 'image/jpeg', buffer: tinyJpeg() });
    await page.locator('[data-test=record-photos] .van-uploader__preview').waitFor();
    await page.locator('[data-test=record-map] path.leaflet-interactive').first().waitFor({ state: 'attached' });
    const map = await page.locator('[data-test=record-map] .leaflet-container').boundingBox();
    if (!map) throw new Error('no map');
    await page.mouse.click(map.x + map.width / 2, map.y + map.height / 2);
    await page.locator('[data-test=record-grid]', { hasText: '所在网格：花园1网格' }).waitFor();
    await b.shot(page, 'record');
    await page.click('[data-test=record-submit]');
    await page.locator('[data-test=inbox-item]', { hasText: '1栋楼道里堆放杂物' }).waitFor();
    const reported = await t.deps.db.selectFrom('matters').selectAll().where('description', '=', '1栋楼道里堆放杂物，堵塞消防通道').execute();
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ grid_id: t.town.g11.id, channel: 'phone', source: 'patrol', status: 'reported', category_id: category.id });
    expect(reported[0]?.lng).toBeGreaterThan(106.5);
    expect(reported[0]?.lng).toBeLessThan(106.51);
    const photos = await t.deps.db.selectFrom('matter_photos').select('file_hash').where('matter_id', '=', reported[0]?.id ?? 0).execute();
    expect(photos).toHaveLength(1);

    // Handle: open the matter due tomorrow, accept it, mark it handled with a note and a photo.
    await page.locator('[data-test=inbox-item]', { hasText: soon.code }).click();
    await page.locator('[data-test=matter][data-status=dispatched]').waitFor();
    await b.shot(page, 'matter');
    await page.click('[data-test=action-accept]');
    await page.locator('[data-test=matter][data-status=handling]').waitFor();
    await page.click('[data-test=action-handle]');
    await page.fill('[data-test=action-note] textarea', '更换水龙头，已恢复供水');
    await page.setInputFiles('[data-test=action-photos] input[type=file]', { name: 'done.jpg', mimeType: 'image/jpeg', buffer: tinyJpeg() });
    await page.locator('[data-test=action-photos] .van-uploader__preview').waitFor();
    await page.click('[data-test=action-submit]');
    await page.locator('[data-test=matter][data-status=handled]').waitFor();
    expect(await page.locator('[data-test=matter-photo]').count()).toBe(1);
    const handled = await t.deps.db.selectFrom('matter_photos').select('stage').where('matter_id', '=', soon.id).execute();
    expect(handled.map((p) => p.stage)).toEqual(['result']);

    // Inspection: the task, one point checked normal.
    await page.click('[data-test=tab-inspections]');
    await page.locator('[data-test=inspection-item]').first().waitFor();
    await b.shot(page, 'inspections');
    await page.click(`[data-test=inspection-item][data-id="${taskId}"]`);
    const point = page.locator('[data-test=inspection-point][data-state=pending]').first();
    const pointId = await point.getAttribute('data-id');
    await b.shot(page, 'inspection');
    await point.locator('[data-test=point-normal]').click();
    await page.fill('[data-test=point-note] textarea', '雨水口通畅');
    await page.click('[data-test=point-submit]');
    await page.locator(`[data-test=inspection-point][data-id="${pointId}"][data-state=normal]`).waitFor();
    const checked = await t.deps.db.selectFrom('inspection_points').selectAll().where('id', '=', Number(pointId)).executeTakeFirstOrThrow();
    expect(checked).toMatchObject({ status: 'normal', note: '雨水口通畅' });

    // Visit: one household of the grid, a note.
    await page.click('[data-test=tab-visits]');
    await page.locator(`[data-test=visit-household][data-id="${t.town.households.h1.id}"]`).click();
    await page.fill('[data-test=visit-note] textarea', '王大爷身体好，反映楼道灯不亮');
    await b.shot(page, 'visits');
    await page.click('[data-test=visit-submit]');
    await page.locator('[data-test=visit-item]', { hasText: '王大爷身体好' }).waitFor();
    const visits = await t.deps.db.selectFrom('visits').selectAll().where('grid_id', '=', t.town.g11.id).execute();
    expect(visits).toHaveLength(1);

    await page.locator('.van-toast').first().waitFor({ state: 'hidden' });
    await page.click('[data-test=tab-me]');
    await page.locator('[data-test=me-name]', { hasText: '网格员甲' }).waitFor();
    await b.shot(page, 'me');
    expect(problems).toEqual([]);
  });

  it('pastes a group message for my grid and turns an actionable one into a matter', async () => {
    const { page, problems } = b;
    await signInToInbox(page, t.base);
    await page.click('[data-test=tab-me]');
    await page.click('[data-test=me-groups]');
    await page.locator('[data-test=group-pick] [role=radio]').first().waitFor();
    await page.fill('[data-test=group-text] textarea', '3栋楼道里的水管漏水好几天了，地上全是水，没人来修');
    await page.fill('[data-test=group-sender] input', '李阿姨');
    await b.shot(page, 'groups');
    await page.click('[data-test=group-submit]');
    const item = page.locator('[data-test=gm-item]', { hasText: '水管漏水' });
    await item.waitFor();
    const messages = await t.deps.db.selectFrom('group_messages').selectAll().where('text', 'like', '%水管漏水%').execute();
    expect(messages).toHaveLength(1);
    await item.locator('[data-test=gm-to-matter]').click();
    await page.locator('[data-test=matter][data-status=reported]').waitFor();
    const matter = await t.deps.db.selectFrom('matters').selectAll().where('source', '=', 'group_message').where('description', 'like', '%水管漏水%').execute();
    expect(matter).toHaveLength(1);
    expect(problems).toEqual([]);
  });
});
