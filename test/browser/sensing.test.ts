import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobRunner } from '../../src/modules/jobs/jobs.setup.ts';
import type { JobRunner } from '../../src/modules/jobs/jobs.runner.ts';
import { ensureBaseModel } from '../../src/modules/sensing/models.service.ts';
import { useBrowser } from '../helpers/browser.ts';
import { DESKTOP, fillLogin, PHONE_CONTEXT, signInToInbox, watchConsole } from '../helpers/pages.ts';
import { useTestTown } from '../helpers/town.ts';

/** Waits until no Element Plus toast is left, so a picture shows the page and not the last message. */
const noToast = (page: Page) => page.locator('.el-message').first().waitFor({ state: 'detached' }).catch(() => undefined);
/** Lets a dialog's or a sheet's opening animation finish before a picture (only when pictures are taken). */
const settle = (page: Page) => (process.env.SCREENSHOTS ? page.waitForTimeout(500) : Promise.resolve());

/**
 * Sensing that learns, in a browser: the centre sees why a message was sensed as it was, dismisses one and raises
 * another to 被困; the administrator sees version 1 with its figures, retrains, and sees version 2 appear, then
 * promotes or rolls back; the grid worker raises and clears urgency on a phone.
 */
describe('the screens of sensing that learns', () => {
  const t = useTestTown({ listen: true });
  const b = useBrowser({ screenshots: 'sensing' });
  // The app copy's job runner, as the server runs one: the retrain queued from the page runs within seconds.
  let jobs: JobRunner;
  const ids = { lamp: 0, lift: 0, stairs: 0 };

  beforeAll(async () => {
    await ensureBaseModel(t.deps);
    jobs = createJobRunner(t.deps);
    jobs.start(1000);
    const group = await t.deps.db.selectFrom('online_groups').select('id').where('external_id', '=', 'wrG11').executeTakeFirstOrThrow();
    const worker = await t.as('t_worker11');
    const paste = async (text: string, senderName: string) => {
      await worker.ok('POST', `/api/online-groups/${group.id}/messages`, { text, senderName, clientId: randomUUID() });
      const row = await t.deps.db.selectFrom('group_messages').select(['id', 'state', 'actionable']).where('text', '=', text).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ state: 'new', actionable: true });
      return row.id;
    };
    ids.lamp = await paste('小区门口的路灯坏了好几天，晚上黑黢黢的', '张大爷');
    ids.lift = await paste('7栋的电梯又坏了，一直停在3楼不动', '李嬢嬢');
    ids.stairs = await paste('2栋楼道的灯不亮好几天了，上下楼看不见', '王阿姨');
  }, 120_000);
  afterAll(async () => {
    await jobs?.stop();
  });

  it('the centre sees why, dismisses one message and raises another to 被困', async () => {
    const page = await b.newPage({ viewport: DESKTOP });
    const problems: string[] = [];
    watchConsole(page, problems);
    await fillLogin(page, t.base, '/console/messages', 't_centre');
    await page.locator(`[data-test=msg-sensed-${ids.lift}]`).waitFor();
    await page.locator('[data-test=msg-table] .el-loading-mask').waitFor({ state: 'hidden' });
    // Why it was sensed so: at least one reason shown beside the category.
    expect(await page.locator(`[data-test=msg-sensed-${ids.lamp}] .why`).count()).toBeGreaterThan(0);
    await b.shot(page, 'messages');

    // 忽略, with a reason: the row leaves the queue, the message is dismissed.
    await page.locator(`[data-test=msg-dismiss-${ids.lamp}]`).click();
    await page.locator('textarea[data-test=msg-dismiss-reason], [data-test=msg-dismiss-reason] textarea').fill('早就修好了，是旧消息');
    await settle(page);
    await b.shot(page, 'dismiss');
    await page.locator('[data-test=msg-dismiss-confirm]').click();
    await page.locator(`[data-test=msg-sensed-${ids.lamp}]`).waitFor({ state: 'detached' });
    expect(await t.deps.db.selectFrom('group_messages').select(['state']).where('id', '=', ids.lamp).executeTakeFirstOrThrow()).toEqual({ state: 'dismissed' });

    // 标为紧急 → 被困: the row turns urgent in place.
    await page.locator(`[data-test=msg-raise-${ids.lift}]`).click();
    await page.locator('[data-test=urgent-kind-trapped]:visible').waitFor();
    await settle(page);
    await b.shot(page, 'raise');
    await page.locator('[data-test=urgent-kind-trapped]:visible').click();
    await page.locator(`[data-test=msg-kind-${ids.lift}]`, { hasText: '被困' }).waitFor();
    await page.locator(`[data-test=msg-clear-${ids.lift}]`).waitFor();
    // The row keeps its grid's name (the action's answer need not carry it).
    await page.locator('[data-test=msg-table] .el-table__body tr', { hasText: '7栋的电梯' }).first().getByText('花园1网格').first().waitFor();
    expect(await t.deps.db.selectFrom('group_messages').select(['urgency', 'urgent_kind', 'state']).where('id', '=', ids.lift).executeTakeFirstOrThrow())
      .toEqual({ urgency: 'urgent', urgent_kind: 'trapped', state: 'new' });
    await noToast(page);
    await b.shot(page, 'raised');
    await page.close();
    expect(problems).toEqual([]);
  });

  it('the administrator sees version 1 with its figures, retrains, and promotes or rolls back', { timeout: 120_000 }, async () => {
    const page = await b.newPage({ viewport: DESKTOP });
    const problems: string[] = [];
    watchConsole(page, problems);
    await fillLogin(page, t.base, '/console/admin/sensing', 't_admin');
    await page.locator('[data-test=model-v1]').waitFor();
    expect((await page.locator('[data-test=model-status-1]').innerText()).trim()).toBe('当前');
    expect(await page.locator('[data-test=model-1-recall]').innerText()).toMatch(/^\d{1,3}\.\d%$/);
    expect(await page.locator('[data-test=model-1-urgentFalseRate]').innerText()).toMatch(/^\d{1,3}\.\d%$/);
    await page.locator('[data-test=nav-sensing]', { hasText: '感知模型' }).waitFor();
    // The labels the centre's two decisions left.
    await page.locator('[data-test=labels-table]').getByText('忽略').waitFor();
    await page.locator('[data-test=labels-table]').getByText('标为紧急').waitFor();
    await page.locator('[data-test=labels-table]').getByText('被困').waitFor();
    await b.shot(page, 'models', { fullPage: true });

    // 立即重新训练: 训练中… until version 2 shows.
    await page.locator('[data-test=sensing-retrain]').click();
    await page.locator('[data-test=sensing-training]', { hasText: '训练中' }).waitFor();
    await page.locator('[data-test=model-v2]').waitFor({ timeout: 60_000 });
    await page.locator('[data-test=sensing-training]').waitFor({ state: 'detached' });
    await noToast(page);
    await b.shot(page, 'retrained', { fullPage: true });
    const v2 = await t.deps.db.selectFrom('sensing_models').select(['id', 'status']).where('version', '=', 2).executeTakeFirstOrThrow();
    expect(['current', 'rejected']).toContain(v2.status);
    expect((await page.locator('[data-test=model-status-2]').innerText()).trim()).toBe(v2.status === 'current' ? '当前' : '未采用');

    if (v2.status === 'current') {
      // A version that went live can be undone: back to version 1, with the reason.
      await page.locator('[data-test=sensing-rollback]').click();
    } else {
      // A version that was not used can still be made current by hand, with the reason.
      await page.locator('[data-test=model-promote-2]').click();
    }
    // No reason, no change: the dialog says so in Chinese.
    await page.locator('[data-test=sensing-confirm]').click();
    await page.locator('.el-dialog .el-alert', { hasText: '请写明原因' }).waitFor();
    await page.locator('textarea[data-test=sensing-reason], [data-test=sensing-reason] textarea').fill(v2.status === 'current' ? '新版本试用下来不如原来的，先用回第1版' : '人工核对过，第2版更合适');
    await settle(page);
    await b.shot(page, 'reason');
    await page.locator('[data-test=sensing-confirm]').click();
    const now = v2.status === 'current' ? 1 : 2;
    const other = 3 - now;
    await page.locator(`[data-test=model-status-${now}]`, { hasText: '当前' }).waitFor();
    await page.locator(`[data-test=model-status-${other}]`, { hasText: '已退役' }).or(page.locator(`[data-test=model-status-${other}]`, { hasText: '未采用' })).waitFor();
    const statuses = await t.deps.db.selectFrom('sensing_models').select(['version', 'status']).orderBy('version').execute();
    expect(statuses.find((s) => s.version === now)?.status).toBe('current');
    await noToast(page);
    await b.shot(page, 'after', { fullPage: true });
    await page.close();
    // The refused empty reason never reaches the server: the page itself says it.
    expect(problems).toEqual([]);
  });

  it('the grid worker raises and clears urgency on a phone', async () => {
    const context = await b.newContext(PHONE_CONTEXT);
    const page = await context.newPage();
    const problems: string[] = [];
    watchConsole(page, problems);
    await signInToInbox(page, t.base);
    await page.goto(`${t.base}/m/groups`);
    const card = page.locator(`[data-test=gm-item][data-id="${ids.stairs}"]`);
    await card.waitFor();
    await card.scrollIntoViewIfNeeded();
    await b.shot(page, 'phone');
    await card.locator('[data-test=gm-raise]').click();
    await page.locator('.van-action-sheet').getByText('诈骗').waitFor();
    await settle(page);
    await b.shot(page, 'phone-kinds');
    await page.locator('.van-action-sheet').getByText('火情').click();
    await card.locator('[data-test=gm-urgent]', { hasText: '火情' }).waitFor();
    await card.getByText('花园1网格群').waitFor();
    expect(await t.deps.db.selectFrom('group_messages').select(['urgent_kind']).where('id', '=', ids.stairs).executeTakeFirstOrThrow()).toEqual({ urgent_kind: 'fire' });
    await page.locator('.van-toast').first().waitFor({ state: 'hidden' }).catch(() => undefined);
    await card.scrollIntoViewIfNeeded();
    await b.shot(page, 'phone-raised');
    // Thumb-sized: every button of the card at least 44 px high.
    for (const box of await card.locator('.van-button').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height))) expect(box).toBeGreaterThanOrEqual(44);
    await card.locator('[data-test=gm-clear]').click();
    await card.locator('[data-test=gm-raise]').waitFor();
    expect(await card.locator('[data-test=gm-urgent]').count()).toBe(0);
    expect(await t.deps.db.selectFrom('group_messages').select(['urgency', 'urgent_kind']).where('id', '=', ids.stairs).executeTakeFirstOrThrow()).toEqual({ urgency: 'normal', urgent_kind: null });
    expect(problems).toEqual([]);
  });
});
