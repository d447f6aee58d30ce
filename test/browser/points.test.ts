import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../src/core/scope.ts';
import * as ledger from '../../src/modules/points/points.repository.ts';
import { PointsService } from '../../src/modules/points/points.service.ts';
import { CHROMIUM, useBrowser } from '../helpers/browser.ts';
import { signIn, watchConsole } from '../helpers/pages.ts';
import { useTestTown } from '../helpers/town.ts';

/** The phone of the story: a small one, 375×667 (an iPhone SE / 8). */
const PHONE = { width: 375, height: 667 } as const;
const PHONE_OPTIONS = { viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' } as const;

/**
 * A camera that films a phone screen showing `text` as a QR: a 640×480 YUV4MPEG2 (C420jpeg) clip Chromium plays as its
 * fake capture device — black modules (Y 0) on white (Y 255) with a quiet zone, 12 px a module, grey chroma.
 */
function qrVideo(text: string, file: string): void {
  const W = 640;
  const H = 480;
  const m = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
  const scale = 12;
  const quiet = 4;
  const side = (m.size + quiet * 2) * scale;
  const left = Math.floor((W - side) / 2);
  const top = Math.floor((H - side) / 2);
  const y = Buffer.alloc(W * H, 200);
  for (let py = 0; py < side; py++) {
    for (let px = 0; px < side; px++) {
      const mx = Math.floor(px / scale) - quiet;
      const my = Math.floor(py / scale) - quiet;
      const dark = mx >= 0 && my >= 0 && mx < m.size && my < m.size && m.get(my, mx);
      y[(top + py) * W + left + px] = dark ? 0 : 255;
    }
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), ...Array.from({ length: 5 }, () => frame)]));
}

/** A Chromium of its own whose camera is that clip (useBrowser's has no camera flags). */
function launchWithCamera(video: string): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`,
    ],
  });
}

type Doc = { document: { documentElement: { scrollWidth: number; clientWidth: number } } };
/** Nothing pushes the page sideways on the small phone. */
async function fits(page: Page): Promise<void> {
  const { scroll, client } = await page.evaluate(() => {
    const d = (globalThis as unknown as Doc).document.documentElement;
    return { scroll: d.scrollWidth, client: d.clientWidth };
  });
  expect(scroll, page.url()).toBeLessThanOrEqual(client);
}

// 德商联盟 on two phones: the community staff sign up 王嬢嬢副食店 with a bottle of soy sauce for 2 points; 王建国
// checks in (每日签到, 2 points), redeems the soy sauce and holds up the QR; 王秀英 at the counter signs in by phone,
// scans it with the camera (a fake one filming that QR), sees ✓ 已核销, and a second scan of the same code is refused.
describe('points on the resident’s phone and the merchant’s counter', () => {
  const t = useTestTown({ seed: 'story', listen: true });
  const b = useBrowser({ screenshots: 'points' });
  const problems: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'dg-points-'));
  let counterBrowser: Browser | null = null;
  afterAll(async () => {
    await counterBrowser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('checks in, redeems, and the merchant confirms the code by camera once', async () => {
    const staff = await t.as('t_staff1');
    const resident = await t.as('t_resident');
    const shop = await staff.ok<{ id: number }>('POST', '/api/merchants', {
      communityId: t.town.c1.id, name: '王嬢嬢副食店', address: '花园路12号', opens: '00:00', closes: '00:00', keeper: { name: '王秀英', phone: '13800001111' },
    });
    const soy = await staff.ok<{ id: number }>('POST', `/api/merchants/${shop.id}/items`, { name: '酱油一瓶', points: 2, stock: 5 });

    // 王建国 on his phone: home → 我的积分.
    const wang = await signIn(b, t.base, 't_resident', '/r', problems, PHONE);
    const page = wang.page;
    await page.locator('[data-test=r-go-points]').click();
    await page.locator('[data-test=r-points][data-loaded="1"]').waitFor();
    expect(await page.locator('[data-test=r-points-balance]').getAttribute('data-available')).toBe('0');
    const soyRow = page.locator(`[data-test=r-shop-item][data-id="${soy.id}"]`);
    expect(await soyRow.innerText()).toContain('酱油一瓶');
    expect(await soyRow.innerText()).toContain('2 分');
    expect(await soyRow.innerText()).toContain('还剩 5 件');
    expect(await soyRow.locator('[data-test=r-redeem]').innerText()).toBe('积分不够');
    expect(await page.locator('[data-test=r-earn]').innerText()).toContain('参加议事会');
    await fits(page);
    await b.shot(page, 'resident-before', { fullPage: true });

    // 每日签到: 2 points, and the button says so for the rest of the day.
    await page.locator('[data-test=r-checkin-btn]').click();
    await page.locator('[data-test=r-checkin-btn][data-done="1"]').waitFor();
    expect(await page.locator('[data-test=r-checkin-msg]').innerText()).toBe('签到成功，加了 2 分');
    expect(await page.locator('[data-test=r-checkin-btn]').innerText()).toContain('今天已签到');
    expect(await page.locator('[data-test=r-checkin-btn]').isDisabled()).toBe(true);
    await page.locator('[data-test=r-points-balance][data-available="2"]').waitFor();
    expect(await page.locator('[data-test=r-statement-entry]').first().getAttribute('data-rule')).toBe('daily_checkin');
    await b.shot(page, 'resident-checked-in');

    // 兑换: a sheet asks once, then the code to show.
    await soyRow.locator('[data-test=r-redeem]').click();
    const sheet = page.locator('[data-test=r-redeem-sheet]');
    await sheet.waitFor();
    expect(await sheet.innerText()).toContain('用 2 分换「酱油一瓶」');
    await page.waitForTimeout(400); // the sheet slides up
    await b.shot(page, 'resident-sheet');
    await page.locator('[data-test=r-redeem-ok]').click();
    await page.waitForURL(/\/r\/points\/codes\/\d+$/);
    await page.locator('[data-test=r-code-live]').waitFor();
    const code = String(await page.locator('[data-test=r-code-digits]').getAttribute('data-code'));
    expect(code).toMatch(/^\d{8}$/);
    expect(await page.locator('[data-test=r-code-digits]').innerText()).toBe(`${code.slice(0, 4)} ${code.slice(4)}`);
    expect(await page.locator('[data-test=r-code-qr]').getAttribute('data-qr')).toBe(`DGPT:${code}`);
    expect(await page.locator('[data-test=r-code-qr] svg path').count()).toBe(1);
    expect(await page.locator('[data-test=r-code-left]').innerText()).toMatch(/还有 [45]:\d\d 有效/);
    await fits(page);
    await b.shot(page, 'resident-code');
    expect(await resident.ok('GET', '/api/points/me')).toMatchObject({ balance: 2, held: 2, available: 0 });

    // 王秀英 at the counter: her own phone, whose camera sees 王建国's screen.
    const clip = join(dir, 'qr.y4m');
    qrVideo(`DGPT:${code}`, clip);
    counterBrowser = await launchWithCamera(clip);
    const counterContext = await counterBrowser.newContext({ ...PHONE_OPTIONS, baseURL: t.base });
    await counterContext.grantPermissions(['camera'], { origin: t.base });
    const counter = await counterContext.newPage();
    watchConsole(counter, problems);
    await counter.goto(`${t.base}/shop`);
    await counter.waitForURL(/\/shop\/login/);
    await counter.locator('[data-test=s-phone] input').fill('13800001111');
    await counter.locator('[data-test=s-send-code]').click();
    expect((await counter.locator('[data-test=s-demo-code]').innerText()).trim()).toMatch(/^\d{6}$/);
    await fits(counter);
    await b.shot(counter, 'merchant-login');
    await counter.locator('[data-test=s-demo-fill]').click();
    await counter.locator('[data-test=s-login]').click();
    await counter.locator('[data-test=s-counter][data-loaded="1"]').waitFor();
    expect(new URL(counter.url()).pathname).toBe('/shop');
    expect(await counter.locator('[data-test=s-shop-name]').innerText()).toBe('王嬢嬢副食店');
    await fits(counter);
    await b.shot(counter, 'merchant-counter');

    // 扫码核销: the camera reads the QR and the code is confirmed.
    await counter.locator('[data-test=s-scan]').click();
    const answer = counter.locator('[data-test=s-result]');
    await answer.waitFor({ timeout: 20_000 });
    expect(await answer.getAttribute('data-state')).toBe('confirmed');
    expect(await answer.innerText()).toContain('已核销');
    expect(await counter.locator('[data-test=s-result-item]').innerText()).toBe('酱油一瓶 × 1');
    expect(await counter.locator('[data-test=s-result-points]').innerText()).toBe('2 分');
    expect(await counter.locator('[data-test=s-result-who]').innerText()).toBe(`居民 王** · 尾号 ${code.slice(-4)}`);
    await counter.locator('[data-test=s-today][data-confirmed="1"][data-points="2"]').waitFor();
    expect(await counter.locator('[data-test=s-today-totals]').innerText()).toBe('已核销 1 笔，共 2 分');
    expect(await counter.locator('[data-test=s-camera]').isVisible()).toBe(false);
    await fits(counter);
    await b.shot(counter, 'merchant-confirmed');

    // The points went to the shop; 王建国's phone says so too.
    expect(await resident.ok('GET', '/api/points/me')).toMatchObject({ balance: 0, held: 0, available: 0 });
    const mine = await resident.ok<{ items: { id: number; state: string; code: string | null }[] }>('GET', '/api/points/redemptions/mine');
    expect(mine.items[0]).toMatchObject({ state: 'confirmed', code: null });
    await page.locator('[data-test=r-code-confirmed]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-test=r-code-confirmed]').innerText()).toContain('兑换成功');
    await b.shot(page, 'resident-confirmed');

    // The same QR a second time: refused, in plain words.
    await counter.locator('[data-test=s-scan]').click();
    await counter.locator('[data-test=s-result][data-state=error]').waitFor({ timeout: 20_000 });
    expect(await answer.getAttribute('data-code')).toBe('CODE_USED');
    expect(await counter.locator('[data-test=s-result-message]').innerText()).toContain('已经核销');
    await b.shot(counter, 'merchant-used');

    // Typed by hand instead: a code nobody was given.
    const wrong = code === '12345678' ? '87654321' : '12345678';
    await counter.locator('[data-test=s-typed] input').fill(wrong);
    await counter.locator('[data-test=s-confirm-typed]').click();
    await counter.locator('[data-test=s-result][data-code=CODE_UNKNOWN]').waitFor();
    expect(await counter.locator('[data-test=s-result-message]').innerText()).toBe('没有这个兑换码，请核对一下数字。');
    await fits(counter);
    await b.shot(counter, 'merchant-unknown', { fullPage: true });
    expect(await counter.locator('[data-test=s-today]').getAttribute('data-confirmed')).toBe('1');

    // 不收这个码: a code read out over the counter for soy sauce the shop turns out not to have; the points go back.
    const account = await ledger.ensureResidentAccount(t.deps.db, t.town.residents.r11);
    const issuance = await ledger.systemAccount(t.deps.db, 'issuance');
    await t.deps.db.transaction().execute((trx) => new PointsService(t.deps).transferIn(trx, systemContext('test'), { key: 'points-browser:gift', kind: 'adjust', debitId: issuance.id, creditId: account.id, amount: 2 }));
    const second = await resident.ok<{ code: string }>('POST', '/api/points/redemptions', { itemId: soy.id, quantity: 1, key: 'points-browser:second' });
    expect(await resident.ok('GET', '/api/points/me')).toMatchObject({ balance: 2, held: 2, available: 0 });
    await counter.locator('[data-test=s-typed] input').fill(`${second.code.slice(0, 4)} ${second.code.slice(4)}`);
    await counter.locator('[data-test=s-decline]').click();
    await counter.locator('[data-test=s-decline-sheet]').waitFor();
    // No reason yet: asked for one, nothing sent.
    await counter.locator('[data-test=s-decline-ok]').click();
    expect(await counter.locator('[data-test=s-decline-error]').innerText()).toBe('请选一个原因或者写一下');
    await counter.locator('[data-test=s-reason]', { hasText: '东西卖完了' }).click();
    await counter.waitForTimeout(400);
    await b.shot(counter, 'merchant-decline');
    await counter.locator('[data-test=s-decline-ok]').click();
    await counter.locator('[data-test=s-result][data-state=declined]').waitFor();
    expect(await counter.locator('[data-test=s-result]').innerText()).toContain('已拒收，积分退回居民了');
    expect(await resident.ok('GET', '/api/points/me')).toMatchObject({ balance: 2, held: 0, available: 2 });
    const declined = await resident.ok<{ items: { state: string; reason: string }[] }>('GET', '/api/points/redemptions/mine');
    expect(declined.items[0]).toMatchObject({ state: 'declined', reason: '东西卖完了' });
    expect(await counter.locator('[data-test=s-today-row][data-state=declined]').count()).toBe(1);
    expect(await counter.locator('[data-test=s-today]').getAttribute('data-confirmed')).toBe('1');

    // Back on 我的积分: nothing left, the code among the past ones, the redemption in the statement.
    await page.locator('[data-test=r-code-back]').click();
    await page.locator('[data-test=r-points][data-loaded="1"]').waitFor();
    await page.locator('[data-test=r-points-balance][data-available="2"]').waitFor();
    expect(await page.locator('[data-test=r-code-past][data-state=confirmed]').innerText()).toContain('已兑换');
    expect(await page.locator('[data-test=r-code-past][data-state=declined]').innerText()).toContain('没兑换');
    expect(await page.locator('[data-test=r-statement-entry][data-delta="-2"]').count()).toBe(1);
    expect(await page.locator(`[data-test=r-shop-item][data-id="${soy.id}"] [data-test=r-redeem]`).innerText()).toBe('兑换');
    await b.shot(page, 'resident-after', { fullPage: true });
    // 大字模式 for a reader of 70: still no sideways scrolling.
    await page.locator('[data-test=r-large-switch]').click();
    await page.locator('[data-test=r-large-toggle][data-on="1"]').waitFor();
    await fits(page);
    await page.evaluate('window.scrollTo(0, 0)');
    await b.shot(page, 'resident-large', { fullPage: true });

    // A code taken back (不换了): the points are free again at once.
    await page.locator(`[data-test=r-shop-item][data-id="${soy.id}"] [data-test=r-redeem]`).click();
    await page.locator('[data-test=r-redeem-ok]').click();
    await page.locator('[data-test=r-code-live]').waitFor();
    await fits(page);
    await b.shot(page, 'resident-code-large', { fullPage: true });
    await page.locator('[data-test=r-code-back]').click();
    await page.locator('[data-test=r-code-pending]').click();
    await page.locator('[data-test=r-code-cancel]').click();
    await page.locator('.van-dialog__confirm').click();
    await page.locator('[data-test=r-code-cancelled]').waitFor();
    expect(await resident.ok('GET', '/api/points/me')).toMatchObject({ balance: 2, held: 0, available: 2 });

    // The refusals answer 409/404 on purpose; the browser logs those as failed resources, nothing else.
    expect(problems.filter((p) => !/status of (404|409)/.test(p))).toEqual([]);
  });
});
