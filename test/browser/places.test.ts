import gcoordModule from 'gcoord';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/modules/demo/demo.loader.ts';
import { useBrowser } from '../helpers/browser.ts';
import { type Actor, uploadPhoto } from '../helpers/matters.ts';
import { DESKTOP, fillLogin, PHONE, watchConsole } from '../helpers/pages.ts';
import { drawPng } from '../helpers/png.ts';
import { useTestTown } from '../helpers/town.ts';

/** A small PNG: a cracked grey pavement with a dark pothole, so the photo reads as one. */
const potholePng = (width: number, height: number): Buffer => drawPng(width, height, (x, y) => {
  const hole = ((x - width / 2) / (width / 4)) ** 2 + ((y - height / 2) / (height / 6)) ** 2 < 1;
  const v = hole ? 45 : 150 + ((x * 7 + y * 13) % 30);
  return [v, v, hole ? 50 : v - 8];
});

// Safe: gcoord's CJS build sets module.exports to the API its typings call `default` (as in src/core/geo/locator.ts).
const gcoord = ((gcoordModule as { default?: unknown }).default ?? gcoordModule) as typeof gcoordModule.default;

interface Building { id: number; name: string; grid_id: number; lng: number; lat: number; estate_name: string | null; grid_name: string }

// Places people can find: the grid worker and the department open a dispatched matter and see where it is by
// name, on a map with named grids, roads and landmarks (no tile server), with links that open a map app in the
// coordinate system it reads; the centre's triage drawer shows the photos and the map; a resident standing by a
// building picks it from the nearby buildings, nearest first.
describe('places in a browser', () => {
  const t = useTestTown({ seed: 'demo', listen: true });
  const b = useBrowser({ screenshots: 'places' });
  const problems: string[] = [];
  let building: Building;
  let forWorker: number;
  let forDept: number;
  let reported: number;

  const buildingOf = (username: string) => t.deps.db.selectFrom('users as u').innerJoin('role_assignments as r', 'r.user_id', 'u.id')
    .innerJoin('buildings as b', 'b.grid_id', 'r.node_id').innerJoin('nodes as g', 'g.id', 'b.grid_id')
    .select(['b.id', 'b.name', 'b.grid_id', 'b.lng', 'b.lat', 'g.estate_name', 'g.name as grid_name'])
    .where('u.username', '=', username).where('b.lng', 'is not', null).orderBy('b.id').executeTakeFirstOrThrow() as Promise<Building>;

  beforeAll(async () => {
    building = await buildingOf('w01001');
    const centre: Actor = await t.as('centre1', DEMO_PASSWORD);
    const report = async (title: string, photos: string[] = []) => (await centre.ok<{ id: number }>('POST', '/api/matters', {
      source: 'hotline', channel: 'phone', title, description: `${title}，住户打12345反映`, location: { buildingId: building.id }, address: '2单元门口', photos,
    })).id;
    forWorker = await report('楼下井盖松动');
    await centre.step(forWorker, 'register', { categoryCode: 'S03002', scope: 'household', complexity: 'simple' });
    await centre.step(forWorker, 'dispatch', { lead: { kind: 'node', id: building.grid_id } });
    const police = await t.deps.db.selectFrom('departments').select('id').where('name', 'like', '%派出所%').executeTakeFirstOrThrow();
    forDept = await report('深夜有人在楼下喧哗');
    await centre.step(forDept, 'register', { categoryCode: 'S03002', scope: 'public', complexity: 'general' });
    await centre.step(forDept, 'dispatch', { lead: { kind: 'department', id: police.id } });
    const headers = await t.login('centre1', DEMO_PASSWORD);
    reported = await report('路面坑洼积水', [await uploadPhoto(t.app, headers, potholePng(320, 240))]);
  });

  async function open(username: string, viewport: { width: number; height: number }, path: string, options: { geolocation?: { longitude: number; latitude: number } } = {}): Promise<Page> {
    const context = await b.newContext({ viewport, ...(viewport === PHONE ? { isMobile: true, hasTouch: true } : {}), ...(options.geolocation ? { geolocation: options.geolocation, permissions: ['geolocation'] } : {}) });
    const page = await context.newPage();
    watchConsole(page, problems);
    await fillLogin(page, t.base, path, username, DEMO_PASSWORD);
    await page.waitForURL((u) => u.pathname.startsWith(path));
    return page;
  }

  /** The matter's place as the person sees it: named, on a drawn map, with three navigate links in the right systems. */
  async function expectPlace(page: Page) {
    const place = page.locator('[data-test=matter-place]');
    await place.locator('[data-test=place-map][data-drawn=true]').waitFor();
    const label = building.estate_name ? `${building.estate_name}${building.name}` : building.name;
    expect(await place.locator('[data-test=place-building]').innerText()).toBe(label);
    expect(await place.locator('[data-test=place-grid]').innerText()).toBe(building.grid_name);
    expect(await place.locator('[data-test=place-community]').innerText()).toMatch(/社区|村/);
    expect(await place.locator('[data-test=place-address]').innerText()).toBe('2单元门口');
    // Never bare coordinates on the page.
    expect(await place.innerText()).not.toMatch(/\d{2,3}\.\d{4,}/);
    // The map names what is around: grid names and landmarks or roads are drawn as text.
    expect(await place.locator('.pm-label').count()).toBeGreaterThan(3);

    const href = (app: string) => place.locator(`[data-test=navigate-link][data-app=${app}]`).getAttribute('href');
    const [gLng, gLat] = gcoord.transform([building.lng, building.lat], gcoord.WGS84, gcoord.GCJ02);
    const amap = new URL(String(await href('amap')));
    expect(amap.origin + amap.pathname).toBe('https://uri.amap.com/marker');
    expect(amap.searchParams.get('coordinate')).toBe('gaode');
    expect(amap.searchParams.get('position')).toBe(`${gLng.toFixed(6)},${gLat.toFixed(6)}`);
    expect(amap.searchParams.get('name')).toBe(label);
    const [bLng, bLat] = gcoord.transform([building.lng, building.lat], gcoord.WGS84, gcoord.BD09);
    const baidu = new URL(String(await href('baidu')));
    expect(baidu.searchParams.get('coord_type')).toBe('bd09ll');
    expect(baidu.searchParams.get('location')).toBe(`${bLat.toFixed(6)},${bLng.toFixed(6)}`);
    expect(await href('geo')).toBe(`geo:${building.lat.toFixed(6)},${building.lng.toFixed(6)}?q=${building.lat.toFixed(6)},${building.lng.toFixed(6)}(${encodeURIComponent(label)})`);
    // GCJ-02 is offset from WGS-84 by hundreds of metres in China: the links are not the same point.
    expect(Math.abs(gLng - building.lng) + Math.abs(gLat - building.lat)).toBeGreaterThan(0.001);
  }

  it('shows the grid worker on a phone where the dispatched matter is, and how to get there', async () => {
    const page = await open('w01001', PHONE, `/m/matters/${forWorker}`);
    await expectPlace(page);
    await page.locator('[data-test=matter-place]').scrollIntoViewIfNeeded();
    await b.shot(page, 'worker-matter');
    expect(problems).toEqual([]);
  });

  it('shows the department the same, on a desktop', async () => {
    const page = await open('dept_police', DESKTOP, `/dept/matters/${forDept}`);
    await expectPlace(page);
    await b.shot(page, 'dept-matter');
    expect(problems).toEqual([]);
  });

  it('shows the centre the photos and the map in the triage drawer', async () => {
    const page = await open('centre1', DESKTOP, '/console/triage');
    await page.locator(`[data-test=queue-row-${reported}]`).click();
    const drawer = page.locator('[data-test=triage-drawer]');
    await drawer.locator('[data-test=triage-photo] img').waitFor();
    expect(await drawer.locator('[data-test=triage-photo]').count()).toBe(1);
    await drawer.locator('[data-test=place-map][data-drawn=true]').waitFor();
    expect(await drawer.locator('[data-test=navigate-link]').count()).toBe(3);
    await b.shot(page, 'triage-drawer');
    expect(problems).toEqual([]);
  });

  it('lets a resident standing by a building pick it from the nearby buildings', async () => {
    const home = await buildingOf('resident1');
    const page = await open('resident1', PHONE, '/r/report', { geolocation: { longitude: home.lng, latitude: home.lat } });
    await page.locator('[data-test=r-desc] textarea').fill('楼道灯坏了，晚上黑黢黢的');
    await page.locator('[data-test=r-next]').click();
    await page.locator('[data-test=r-next]').click();
    // "Use my location" comes first, above the list and the map.
    const locate = await page.locator('[data-test=r-locate]').boundingBox();
    const list = await page.locator('[data-test=r-places]').boundingBox();
    expect(locate && list && locate.y < list.y).toBe(true);
    const near = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/map/places' && new URL(r.url()).searchParams.has('lng'));
    await page.locator('[data-test=r-locate]').click();
    await near;
    await page.locator(`[data-test=r-place-item][data-id="${home.id}"]`).waitFor();
    const ids = await page.locator('[data-test=r-place-item]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))));
    expect(ids[0]).toBe(home.id);
    expect(await page.locator('[data-test=r-place-item]').first().innerText()).toMatch(/约\d+米/);
    await b.shot(page, 'resident-nearby');

    // Searching narrows the list to what matches.
    const estate = home.estate_name ?? home.name;
    const searched = page.waitForResponse((r) => new URL(r.url()).searchParams.get('q') === estate);
    await page.locator('[data-test=r-place-search] input').fill(estate);
    await searched;
    // The answer is in; the list shows it a render later, so wait for the list rather than read it at once.
    const items = () => page.locator('[data-test=r-place-item]').allInnerTexts();
    await expect.poll(async () => (await items()).every((x) => x.includes(estate))).toBe(true);
    const texts = await items();
    expect(texts.length).toBeGreaterThan(0);
    for (const x of texts) expect(x).toContain(estate);

    const second = page.locator('[data-test=r-place-item]').nth(Math.min(1, texts.length - 1));
    const chosen = Number(await second.getAttribute('data-id'));
    await second.click();
    await page.locator(`[data-test=r-place][data-kind=building][data-building="${chosen}"]`).waitFor();
    await page.locator('[data-test=r-map]').scrollIntoViewIfNeeded();
    await b.shot(page, 'resident-chosen');
    await page.locator('[data-test=r-submit]').click();
    const code = (await page.locator('[data-test=r-done-code]').innerText()).trim();
    const m = await t.deps.db.selectFrom('matters').select(['building_id']).where('public_code', '=', code).executeTakeFirstOrThrow();
    expect(m.building_id).toBe(chosen);
    expect(problems).toEqual([]);
  });
});
