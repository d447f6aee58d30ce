import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/modules/demo/demo.loader.ts';
import { useBrowser } from '../helpers/browser.ts';
import { uploadPhoto } from '../helpers/matters.ts';
import { PHONE } from '../helpers/pages.ts';
import { drawPng } from '../helpers/png.ts';
import { useTestTown } from '../helpers/town.ts';

/** A small PNG drawn pixel by pixel: a street lamp against the sky, lit or not. */
function lampPng(width: number, height: number, lit: boolean): Buffer {
  const lamp = { x: width * 0.5, y: height * 0.24, r: height * 0.08 };
  return drawPng(width, height, (x, y) => {
    let c: [number, number, number] = [90 + Math.round((120 * y) / height), 140 + Math.round((80 * y) / height), 200];
    if (y > height * 0.78) c = [120, 120, 110];
    if (Math.abs(x - width * 0.5) < width * 0.015 && y > lamp.y) c = [50, 55, 60];
    if ((x - lamp.x) ** 2 + (y - lamp.y) ** 2 < lamp.r ** 2) c = lit ? [255, 214, 60] : [70, 70, 70];
    return c;
  });
}

// A resident of 灞源街道 signs in with only a phone number (demo SMS mode shows the code), reports a dark
// street lamp with a photo and a tap on the map, follows it in 我的事情 while the centre and the grid worker
// close the loop over the API, rates it 满意 and sees it closed; then turns on 大字模式, which stays on.
describe('the resident pages in a browser', () => {
  const t = useTestTown({ seed: 'demo', listen: true });
  // One phone for the file, standing at the first building: its cookies carry the sign-in from test to test.
  const b = useBrowser({ fresh: 'file', screenshots: 'resident', context: async () => {
    const spot = await t.deps.db.selectFrom('buildings').select(['lng', 'lat']).where('lng', 'is not', null).orderBy('id').executeTakeFirstOrThrow();
    return { viewport: PHONE, hasTouch: true, isMobile: true, geolocation: { longitude: spot.lng ?? 0, latitude: spot.lat ?? 0 }, permissions: ['geolocation'] };
  } });
  const problems: string[] = [];
  const expected401: string[] = [];

  const watch = (page: Page) => {
    page.on('console', (m) => {
      if (m.type() !== 'error' && m.type() !== 'warning') return;
      const line = `${m.text()} ${m.location().url}`;
      // The one wrong code typed on purpose answers 401; the browser reports that as a failed resource.
      if (/status of 401/.test(line) && line.includes('/api/auth/phone/verify')) expected401.push(line);
      else problems.push(line);
    });
    page.on('pageerror', (e) => problems.push(e.message));
    return page;
  };

  it('signs in by phone, reports with a photo and a map tap, follows the stages and rates the result', async () => {
    const page = watch(await b.context.newPage());
    await page.goto(`${t.base}/r/login?next=/r`);
    await page.locator('[data-test=r-phone] input').fill('13900001234');
    expect(await page.locator('[data-test=r-phone] input').getAttribute('inputmode')).toBe('numeric');
    await page.locator('[data-test=r-send-code]').click();
    const demoCode = (await page.locator('[data-test=r-demo-code]').innerText()).trim();
    expect(demoCode).toMatch(/^\d{6}$/);
    expect(await page.locator('[data-test=r-demo-box]').innerText()).toContain('演示模式');
    await b.shot(page, 'login');

    // A wrong code first: a plain message, no session.
    await page.locator('[data-test=r-code] input').fill(demoCode === '000000' ? '111111' : '000000');
    await page.locator('[data-test=r-login]').click();
    expect(await page.locator('[data-test=r-login-error]').innerText()).toContain('验证码不对');
    expect(expected401).toHaveLength(1);

    await page.locator('[data-test=r-demo-fill]').click();
    await page.locator('[data-test=r-login]').click();
    await page.locator('[data-test=r-greeting]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/r');
    expect(await page.locator('[data-test=r-greeting]').innerText()).toContain('居民1234');
    await b.shot(page, 'home');

    // 我要反映: what, photo, where — one screen each.
    await page.locator('[data-test=r-go-report]').click();
    await page.locator('[data-test=r-step][data-step="1"]').waitFor();
    await page.locator('[data-test=r-phrase][data-phrase="路灯不亮"]').click();
    await page.locator('[data-test=r-desc] textarea').press('End');
    await page.locator('[data-test=r-desc] textarea').pressSequentially('，小区东门口那盏，晚上很黑');
    expect(await page.locator('[data-test=r-desc] textarea').inputValue()).toBe('路灯不亮，小区东门口那盏，晚上很黑');
    await b.shot(page, 'report-what');
    await page.locator('[data-test=r-next]').click();

    await page.locator('[data-test=r-step][data-step="2"]').waitFor();
    const uploaded = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/files' && r.request().method() === 'POST');
    await page.locator('[data-test=r-photo] input[type=file]').setInputFiles({ name: 'lamp.png', mimeType: 'image/png', buffer: lampPng(2400, 1800, false) });
    expect((await uploaded).status()).toBeLessThan(300);
    await page.locator('[data-test=r-photo] .van-uploader__preview').waitFor();
    await page.locator('[data-test=r-photo] .van-uploader__mask').waitFor({ state: 'detached' });
    await b.shot(page, 'report-photo');
    await page.locator('[data-test=r-next]').click();

    await page.locator('[data-test=r-step][data-step="3"]').waitFor();
    // 用我现在的位置 (the browser's WGS-84 position), then a tap on the map, which wins.
    await page.locator('[data-test=r-map] [data-test=place-map][data-drawn=true]').waitFor();
    await page.locator('[data-test=r-locate]').click();
    await page.locator('[data-test=r-place]:not([data-grid=""])').waitFor();
    // The map sits below the nearby buildings: bring it on screen to tap it.
    await page.locator('[data-test=r-map]').scrollIntoViewIfNeeded();
    const box = await page.locator('[data-test=r-map] .place-map').boundingBox();
    if (!box) throw new Error('the map has no box');
    const located = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/geo/locate');
    await page.mouse.click(box.x + box.width * 0.42, box.y + box.height * 0.55);
    const tapped = new URL((await located).url()).searchParams;
    await page.locator('[data-test=r-place]:not([data-grid=""])').waitFor();
    const place = await page.locator('[data-test=r-place]').getAttribute('data-grid');
    expect(place).toMatch(/网格/);
    await b.shot(page, 'report-where');
    await page.locator('[data-test=r-submit]').click();
    const code = (await page.locator('[data-test=r-done-code]').innerText()).trim();
    // The resident is given the public code (the internal SJ… code stays for staff).
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    await b.shot(page, 'done');

    // Recorded as this resident's own report, from the phone, with the photo made small before upload.
    const m = await t.deps.db.selectFrom('matters as m').innerJoin('users as u', 'u.id', 'm.reporter_user_id')
      .select(['m.id', 'm.source', 'm.channel', 'm.grid_id', 'm.category_id', 'm.lng', 'm.lat', 'u.display_name']).where('m.public_code', '=', code).executeTakeFirstOrThrow();
    expect(m).toMatchObject({ source: 'resident_report', channel: 'phone', display_name: '居民1234' });
    expect(m.grid_id).not.toBeNull();
    // The tapped point, not the phone's position, in WGS-84 as the map gives it.
    expect([m.lng, m.lat]).toEqual([Number(tapped.get('lng')), Number(tapped.get('lat'))]);
    const photos = await t.deps.db.selectFrom('matter_photos as p').innerJoin('files as f', 'f.hash', 'p.file_hash').select(['f.mime', 'f.width', 'f.height']).where('p.matter_id', '=', m.id).execute();
    expect(photos).toHaveLength(1);
    expect(photos[0]?.mime).toBe('image/jpeg');
    expect(Math.max(photos[0]?.width ?? 0, photos[0]?.height ?? 0)).toBeLessThanOrEqual(1600);

    // 我的事情: there at stage 上报.
    await page.goto(`${t.base}/r/mine`);
    const item = page.locator(`[data-test=r-mine-item][data-code="${code}"]`);
    await item.waitFor();
    expect(await item.getAttribute('data-stage')).toBe('0');
    expect(await item.locator('[data-test=r-mine-stage]').innerText()).toBe('已反映');
    await b.shot(page, 'mine');
    await item.click();
    await page.locator('[data-test=r-stages][data-status=reported]').waitFor();
    expect(await page.locator('[data-test=r-stage][data-reached="1"]').count()).toBe(1);
    expect(await page.locator('[data-test=r-stage][data-index="0"]').innerText()).toContain('上报');
    await b.shot(page, 'matter');

    // The centre registers and dispatches to the grid; its worker accepts and handles it with a photo; the
    // centre verifies: the matter waits for the reporter's rating.
    const centre = await t.as('centre1', DEMO_PASSWORD);
    const category = m.category_id
      ? await t.deps.db.selectFrom('categories').select('code').where('id', '=', m.category_id).executeTakeFirstOrThrow()
      : await t.deps.db.selectFrom('categories').select('code').where('name', 'like', '%路灯%').orderBy('code').executeTakeFirstOrThrow();
    await centre.step(m.id, 'register', { categoryCode: category.code });
    await centre.step(m.id, 'dispatch', { lead: { kind: 'node', id: m.grid_id } });
    const worker = await t.deps.db.selectFrom('role_assignments as r').innerJoin('users as u', 'u.id', 'r.user_id').select('u.username')
      .where('r.role', '=', 'grid_worker').where('r.node_id', '=', m.grid_id as number).where('r.ended_at', 'is', null).orderBy('u.id').executeTakeFirstOrThrow();
    const w = await t.as(worker.username, DEMO_PASSWORD);
    await w.step(m.id, 'accept');
    const result = await uploadPhoto(t.app, await t.login(worker.username, DEMO_PASSWORD), lampPng(800, 600, true));
    await w.step(m.id, 'handle', { note: '已更换灯泡，路灯恢复照明', photos: [result] });
    await centre.step(m.id, 'verify', { passed: true });

    await page.reload();
    await page.locator('[data-test=r-stages][data-status=feedback]').waitFor();
    expect(await page.locator('[data-test=r-stage][data-reached="1"]').count()).toBe(5);
    expect(await page.locator('[data-test=r-stage][data-index="4"]').innerText()).toContain('反馈');
    expect(await page.locator('[data-test=r-result]').innerText()).toContain('已更换灯泡');
    await page.locator('[data-test=r-result-photo]').first().waitFor();
    // decode() waits for the image to load (a loaded CI machine answers the file after the element appears)
    expect(await page.locator('[data-test=r-result-photo]').first().evaluate(async (el) => {
      const img = el as unknown as { decode(): Promise<void>; naturalWidth: number };
      await img.decode();
      return img.naturalWidth;
    })).toBe(800);
    await b.shot(page, 'matter-rate');
    await page.locator('[data-test=r-rate-comment] textarea').fill('修得很快，谢谢');
    await page.locator('[data-test=r-rate-satisfied]').click();
    await page.locator('[data-test=r-rated][data-rating=satisfied]').waitFor();
    await page.locator('[data-test=r-stages][data-status=closed]').waitFor();
    expect(await page.locator('[data-test=r-stage][data-reached="1"]').count()).toBe(6);
    expect(await page.locator('[data-test=r-stage][data-index="5"]').innerText()).toContain('结案');
    expect(await page.locator('[data-test=r-satisfaction]').getAttribute('data-value')).toBe('satisfied');
    expect(await page.locator('[data-test=r-rate]').count()).toBe(0);
    const closed = await t.deps.db.selectFrom('matters').select(['status', 'satisfaction']).where('id', '=', m.id).executeTakeFirstOrThrow();
    expect(closed).toEqual({ status: 'closed', satisfaction: 'satisfied' });
    await b.shot(page, 'matter-closed');

    await page.goto(`${t.base}/r/mine`);
    await page.locator(`[data-test=r-mine-item][data-code="${code}"][data-stage="5"]`).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('switches to large text with high contrast, and keeps it after a reload', async () => {
    const page = watch(await b.context.newPage());
    await page.goto(`${t.base}/r`);
    await page.locator('[data-test=r-greeting]').waitFor();
    // These run in the page; the casts only stand in for the DOM types the test's TypeScript does not load.
    type Style = { fontSize: string; color: string; backgroundColor: string };
    type Win = { getComputedStyle(e: unknown): Style; document: { documentElement: { classList: { contains(c: string): boolean } } } };
    const fontSize = async () => Number.parseFloat(await page.locator('.resident').evaluate((el) => (globalThis as unknown as Win).getComputedStyle(el).fontSize));
    const large = () => page.evaluate(() => (globalThis as unknown as Win).document.documentElement.classList.contains('r-large'));
    expect(await large()).toBe(false);
    expect(await fontSize()).toBeLessThan(22);
    await page.locator('[data-test=r-large-switch]').click();
    await page.locator('[data-test=r-large-toggle][data-on="1"]').waitFor();
    expect(await large()).toBe(true);
    expect(await fontSize()).toBeGreaterThanOrEqual(22);
    const colours = await page.locator('.resident').evaluate((el) => {
      const style = (globalThis as unknown as Win).getComputedStyle(el);
      return [style.color, style.backgroundColor];
    });
    expect(colours).toEqual(['rgb(0, 0, 0)', 'rgb(255, 255, 255)']);
    await b.shot(page, 'home-large');

    await page.reload();
    await page.locator('[data-test=r-greeting]').waitFor();
    expect(await large()).toBe(true);
    expect(await fontSize()).toBeGreaterThanOrEqual(22);
    await page.goto(`${t.base}/r/mine`);
    const first = page.locator('[data-test=r-mine-item]').first();
    await first.waitFor();
    await first.click();
    await page.locator('[data-test=r-stages]').waitFor();
    await b.shot(page, 'matter-large');

    // And off again.
    await page.goto(`${t.base}/r`);
    await page.locator('[data-test=r-large-switch]').click();
    await page.locator('[data-test=r-large-toggle][data-on="0"]').waitFor();
    expect(await large()).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  });
});
