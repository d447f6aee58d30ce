import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { beijingDay } from '../../src/core/beijing.ts';
import { insertFlag } from '../../src/modules/points/redemptions.repository.ts';
import { useBrowser } from '../helpers/browser.ts';
import { DESKTOP, fillLogin, watchConsole } from '../helpers/pages.ts';
import { useTestTown } from '../helpers/town.ts';

type Doc = { document: { getAnimations(): { playState: string }[] } };

/** With SHOTS_DIR set, a picture of the page as p-<name>.png there (b.shot's docs pictures need SCREENSHOTS=1). */
async function snap(page: Page, name: string): Promise<void> {
  const dir = process.env.SHOTS_DIR;
  if (!dir) return;
  await page.waitForFunction(() => (globalThis as unknown as Doc).document.getAnimations().every((a) => a.playState !== 'running')).catch(() => undefined);
  await page.screenshot({ path: `${dir}/p-${name}.png` });
}

/** The console's main area speaks Chinese: no English word in it. */
async function speaksChinese(page: Page, where = '.el-main'): Promise<void> {
  const text = await page.locator(where).innerText();
  expect(text.match(/[A-Za-z]{3,}/g) ?? [], page.url()).toEqual([]);
}

/** Waits until the Element Plus messages of the moment are gone, so the next picture and the next click are clear. */
const messagesGone = (page: Page) => page.locator('.el-message').last().waitFor({ state: 'detached' }).catch(() => undefined);

// 积分与联盟 in the console: the community staff of 花园社区 (t_staff1) onboard a shop in the alliance through the dialog
// and put an item on its shelf; the grid worker records 王建国's volunteer hours on his phone (the API here) and t_staff1
// approves them in the console; hours t_staff1 recorded himself he may not approve (the API's words shown). The flags,
// the rules (read only: not an administrator) and the figures tabs open; the 统计 page has the 积分 table, the big screen
// its 积分 panel.
describe('the console points pages in a browser', () => {
  const t = useTestTown({ seed: 'story', listen: true });
  const b = useBrowser({ context: { viewport: DESKTOP }, fresh: 'file', screenshots: 'console-points' });

  it('community staff onboard a merchant, add an item, approve volunteer hours and read the flags and figures', async () => {
    const { page, problems } = b;
    await fillLogin(page, t.base, '/console/points', 't_staff1');
    await page.locator('[data-test=merchants][data-loaded="1"]').waitFor();
    expect(await page.locator('[data-test=nav-points]').count()).toBe(1);

    // 入驻: an empty dialog names what is missing; then the shop with its keeper.
    await page.locator('[data-test=merchant-new]').click();
    await page.locator('.el-dialog[data-test=merchant-dialog]').waitFor();
    await page.locator('[data-test=md-save]').click();
    await page.locator('[data-test=merchant-dialog] .el-form-item__error', { hasText: '商户' }).waitFor();
    await page.locator('input[data-test=md-name]').fill('王嬢嬢副食店');
    await page.locator('input[data-test=md-address]').fill('花园路12号');
    await page.locator('input[data-test=md-keeper-name]').fill('王秀英');
    await page.locator('input[data-test=md-keeper-phone]').fill('13912340001');
    expect(await page.locator('[data-test=md-community]').innerText()).toContain('花园社区');
    await snap(page, 'onboard');
    await page.locator('[data-test=md-save]').click();
    await page.locator('.el-dialog[data-test=merchant-dialog]').waitFor({ state: 'hidden' });

    // The drawer opens on the new shop: its keeper (phone masked), no items yet; add one with a stock.
    const drawer = page.locator('[data-test=merchant-detail]');
    await drawer.waitFor();
    expect(await page.locator('[data-test=md-keepers]').innerText()).toContain('王秀英');
    expect(await page.locator('[data-test=md-keepers]').innerText()).not.toContain('13912340001');
    await page.locator('input[data-test=item-name]').fill('菜籽油一壶');
    await page.locator('[data-test=item-points] input').fill('50');
    await page.locator('input[data-test=item-stock]').fill('12');
    await page.locator('[data-test=item-add]').click();
    await page.locator('[data-test=md-items] .el-table__body tr', { hasText: '菜籽油一壶' }).waitFor();
    const merchant = await t.deps.db.selectFrom('merchants').select(['id']).where('name', '=', '王嬢嬢副食店').executeTakeFirstOrThrow();
    const item = await t.deps.db.selectFrom('merchant_items').select(['id', 'points', 'stock']).where('merchant_id', '=', merchant.id).executeTakeFirstOrThrow();
    expect(item).toMatchObject({ points: 50, stock: 12 });
    await messagesGone(page);
    await speaksChinese(page, '[data-test=merchant-drawer]');
    await snap(page, 'merchant-drawer');

    // Suspended with a reason (the prompt wants one), then shown so.
    await page.locator('[data-test=md-toggle]').click();
    const box = page.locator('.el-message-box');
    await box.waitFor();
    await box.locator('.el-button--primary').click();
    await box.getByText('请写上原因').waitFor();
    await box.locator('textarea').fill('店主外出一周');
    await box.locator('.el-button--primary').click();
    await page.locator('[data-test=merchant-detail][data-state=suspended]').waitFor();
    expect(await drawer.innerText()).toContain('暂停原因：店主外出一周');

    // 结算 with nothing taken yet: the API's refusal (409) shown; the report of the month downloads as a workbook.
    await page.locator('[data-test=md-settle]').click();
    await page.locator('.el-message-box .el-button--primary').click();
    await page.locator('.el-message', { hasText: '这家商户没有待结算的积分' }).waitFor();
    const report = await page.locator('[data-test=md-report]').getAttribute('href');
    expect(report).toMatch(new RegExp(`^/api/merchants/${merchant.id}/report\\.xlsx\\?from=\\d{4}-\\d\\d-01&to=\\d{4}-\\d\\d-\\d\\d$`));
    const workbook = await page.request.get(`${t.base}${report}`);
    expect(workbook.status()).toBe(200);
    expect(workbook.headers()['content-type']).toContain('spreadsheet');
    await page.locator('[data-test=merchant-drawer] .el-drawer__close-btn').click();
    await drawer.waitFor({ state: 'hidden' });

    // Listed, with its item count.
    const row = page.locator('[data-test=merchants-table] .el-table__body tr', { has: page.locator(`[data-test=merchant-row-${merchant.id}]`) });
    await row.waitFor();
    expect(await row.innerText()).toContain('花园社区');
    expect(await row.innerText()).toContain('已暂停');
    expect(await row.innerText()).toContain('店主外出一周');
    expect((await row.innerText()).split(/\s+/)).toContain('1');
    await speaksChinese(page);
    await snap(page, 'merchants');

    // 志愿时长: the grid worker recorded 王建国's hours; t_staff1 approves them, and the row says so.
    const worker = await t.as('t_worker11');
    const hours = await worker.ok<{ id: number; state: string }>('POST', '/api/points/hours', {
      residentId: t.town.residents.r11, activity: '帮孤寡老人打扫卫生', servedOn: beijingDay(new Date()), minutes: 120,
    });
    expect(hours.state).toBe('pending');
    await page.locator('[data-test=points-tab-hours]').click();
    await page.locator('[data-test=hours][data-loaded="1"]').waitFor();
    await page.locator(`[data-test=hours-row-${hours.id}]`).waitFor();
    await speaksChinese(page);
    await snap(page, 'hours-pending');
    await page.locator(`[data-test=hours-approve-${hours.id}]`).click();
    await page.locator(`[data-test=hours-state-of-${hours.id}][data-state=approved]`).waitFor();
    const approved = page.locator('[data-test=hours-table] .el-table__body tr', { has: page.locator(`[data-test=hours-row-${hours.id}]`) });
    expect(await approved.innerText()).toContain('已通过');
    expect(await approved.innerText()).toContain('花园社区干部');

    // Hours t_staff1 records himself (the dialog's resident picker): approving them is refused, in the API's words.
    await page.locator('[data-test=hours-new]').click();
    await page.locator('.el-dialog[data-test=hours-dialog]').waitFor();
    await page.locator('[data-test=hr-resident]').click();
    await page.keyboard.type('王建国');
    await page.locator('.hr-resident-popper .el-select-dropdown__item', { hasText: '王建国' }).first().click();
    await page.locator('input[data-test=hr-activity]').fill('小区义务巡逻');
    await snap(page, 'hours-record');
    await page.locator('[data-test=hr-save]').click();
    await page.locator('.el-dialog[data-test=hours-dialog]').waitFor({ state: 'hidden' });
    const mine = await t.deps.db.selectFrom('volunteer_hours').select('id').where('activity', '=', '小区义务巡逻').executeTakeFirstOrThrow();
    await page.locator(`[data-test=hours-approve-${mine.id}]`).click();
    const refused = page.locator(`[data-test=hours-error-${mine.id}]`);
    await refused.waitFor();
    expect(await refused.innerText()).toContain('登记人不能审核自己登记的时长');
    await page.locator(`[data-test=hours-state-of-${mine.id}][data-state=pending]`).waitFor();
    await messagesGone(page);
    await speaksChinese(page);
    await snap(page, 'hours');

    // 异常: a self-dealing flag on the shop (as the redemption service raises one) is listed open first; cleared with a note.
    await insertFlag(t.deps.db, { kind: 'self_dealing', dedupeKey: `self_dealing:${merchant.id}:${t.town.residents.r11}:test`, residentId: t.town.residents.r11, merchantId: merchant.id, details: { itemId: item.id }, at: new Date() });
    const flag = await t.deps.db.selectFrom('point_flags').select('id').where('merchant_id', '=', merchant.id).executeTakeFirstOrThrow();
    await page.locator('[data-test=points-tab-flags]').click();
    await page.locator('[data-test=flags][data-loaded="1"]').waitFor();
    const flagRow = page.locator('[data-test=flags-table] .el-table__body tr', { has: page.locator(`[data-test=flag-row-${flag.id}]`) });
    await flagRow.waitFor();
    expect(await flagRow.innerText()).toContain('自买自卖');
    expect(await flagRow.innerText()).toContain('王嬢嬢副食店');
    expect(await flagRow.innerText()).toContain('待处理');
    await speaksChinese(page);
    await snap(page, 'flags');
    await page.locator(`[data-test=flag-review-${flag.id}]`).click();
    await page.locator('.el-dialog[data-test=flag-dialog]').waitFor();
    await page.locator('textarea[data-test=fr-note]').fill('店主给自家老人兑的，已核实');
    await page.locator('[data-test=fr-save]').click();
    await page.locator('.el-dialog[data-test=flag-dialog]').waitFor({ state: 'hidden' });
    await flagRow.getByText('无问题').waitFor();
    expect(await flagRow.innerText()).toContain('店主给自家老人兑的');
    expect(await page.locator(`[data-test=flag-review-${flag.id}]`).count()).toBe(0);
    await messagesGone(page);

    // 规则与方案: read only for community staff.
    await page.locator('[data-test=points-tab-rules]').click();
    await page.locator('[data-test=rules][data-loaded="1"]').waitFor();
    await page.locator('[data-test=rules-readonly]').waitFor();
    expect(await page.locator('[data-test=rule-save-volunteer_hours]').count()).toBe(0);
    expect(await page.locator('[data-test=recon-run]').count()).toBe(0);
    await speaksChinese(page);
    await snap(page, 'rules');

    // 报表: the community's figures this month; the approved two hours count.
    await page.locator('[data-test=points-tab-figures]').click();
    await page.locator('[data-test=points-figures][data-loaded="1"]').waitFor();
    const hoursFigure = await page.locator('[data-test=pf-volunteerHours] [data-test=pf-value]').innerText();
    expect(Number(hoursFigure)).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-test=pf-registered] [data-test=pf-value]').innerText()).toMatch(/^\d+$/);
    const settlement = await page.locator('[data-test=pf-settlement]').getAttribute('href');
    expect(settlement).toMatch(/^\/api\/points\/settlement\.xlsx\?nodeId=\d+&from=\d{4}-\d\d-01&to=/);
    expect((await page.request.get(`${t.base}${settlement}`)).status()).toBe(200);
    await speaksChinese(page);
    await snap(page, 'figures');

    // 统计: the 积分 table beside the deliberation one, same node and range.
    await page.locator('[data-test=nav-stats]').click();
    await page.locator('[data-test=stats-points]').waitFor();
    await page.locator('[data-test=stats-points] [data-test=points-volunteerHours]').first().waitFor();
    expect(Number(await page.locator('[data-test=stats-points] [data-test=points-volunteerHours]').first().innerText())).toBeGreaterThanOrEqual(2);
    await page.locator('[data-test=stats-points]').scrollIntoViewIfNeeded();
    await snap(page, 'stats');

    // The refusals the browser reports are the empty settlement (409) and the self-approval (403), once each.
    expect(problems.filter((p) => !/status of (403|409)/.test(p))).toEqual([]);
    expect(problems.filter((p) => /status of 403/.test(p))).toHaveLength(1);
    expect(problems.filter((p) => /status of 409/.test(p))).toHaveLength(1);
  });

  it('lets an administrator change a rule and run the reconciliation now', async () => {
    const admin = await b.newPage({ viewport: DESKTOP });
    const seen: string[] = [];
    watchConsole(admin, seen);
    await fillLogin(admin, t.base, '/console/points?tab=rules', 't_admin');
    await admin.locator('[data-test=rules][data-loaded="1"]').waitFor();
    expect(await admin.locator('[data-test=rules-readonly]').count()).toBe(0);
    await admin.locator('[data-test=rule-points-volunteer_hours] input').fill('12');
    await admin.locator('[data-test=rule-save-volunteer_hours]').click();
    await admin.locator('.el-message', { hasText: '已保存' }).waitFor();
    const rule = await t.deps.db.selectFrom('point_rules').select('points').where('rule', '=', 'volunteer_hours').executeTakeFirstOrThrow();
    expect(rule.points).toBe(12);
    await admin.locator('[data-test=recon-run]').click();
    await admin.locator('[data-test=recon-table] .el-table__body tr', { hasText: '平' }).waitFor();
    await messagesGone(admin);
    await speaksChinese(admin);
    await snap(admin, 'rules-admin');
    await admin.close();
    expect(seen).toEqual([]);
  });

  it('shows the month\'s points on the big screen', async () => {
    const screen = await b.newPage({ viewport: { width: 1920, height: 1080 } });
    const seen: string[] = [];
    watchConsole(screen, seen);
    await fillLogin(screen, t.base, '/screen', 't_centre');
    await screen.locator('[data-test=screen-points]').waitFor();
    await screen.locator('[data-test=points-registered] [data-test=points-value]', { hasText: /^\d+$/ }).waitFor();
    expect(Number(await screen.locator('[data-test=points-volunteerHours] [data-test=points-value]').innerText())).toBeGreaterThanOrEqual(2);
    expect(await screen.evaluate<boolean>('document.documentElement.scrollHeight <= window.innerHeight')).toBe(true);
    await screen.waitForTimeout(800);
    await snap(screen, 'screen');
    await screen.close();
    expect(seen).toEqual([]);
  });
});
