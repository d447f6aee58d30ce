import { beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { DESKTOP, fillLogin, watchConsole } from '../helpers/pages.ts';
import { useTestTown } from '../helpers/town.ts';
import { type OnlineTown, postWebhook, SECRET, webhookMessage } from '../online/fixture.ts';

/**
 * The online grid at work, seen in the browser: group messages come in through the signed webhook (the real
 * intake path) while the big screen and the console are open. The screen counts them and lists them (the urgent
 * one red, personal data masked) without a reload; the console's bell counts the urgent notice, a toast names the
 * grid and the kind, the header flashes, and the notice opens the message queue and is then read.
 */
describe('the online grid live on the screen and in the console', () => {
  const t = useTestTown({ listen: true });
  const b = useBrowser({ screenshots: 'online-live' });
  let webhookId = 0;
  const post = async (groupId: string, text: string) => {
    const res = await postWebhook({ app: t.app, webhookId } as OnlineTown, webhookMessage({ groupId, text }));
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  };

  beforeAll(async () => {
    const admin = await t.login('t_admin');
    const source = await t.app.inject({ method: 'POST', url: '/api/intake/sources', headers: admin, payload: { kind: 'webhook', name: '群消息网关', secret: SECRET } });
    expect(source.statusCode, source.body).toBe(201);
    webhookId = source.json().id;
    await t.deps.db.insertInto('online_groups').values([
      { grid_id: t.town.g12.id, platform: 'webhook', external_id: 'chat-g12', name: '花园2网格群' },
      { grid_id: t.town.g21.id, platform: 'webhook', external_id: 'chat-g21', name: '建新1网格群' },
    ]).execute();
  });

  it('shows arriving messages on the screen, the urgent one red, and alerts the console with a toast and the bell', async () => {
    const problems: string[] = [];
    const screen = await b.newPage({ viewport: { width: 1920, height: 1080 } });
    watchConsole(screen, problems);
    await fillLogin(screen, t.base, '/screen', 't_centre');
    await screen.waitForURL(/\/screen/);
    await screen.locator('[data-test=online-messages] .ovalue', { hasText: /^0$/ }).waitFor();

    const consolePage = await (await b.newContext({ viewport: DESKTOP })).newPage();
    watchConsole(consolePage, problems);
    await fillLogin(consolePage, t.base, '/console/triage', 't_centre');
    await consolePage.waitForURL(/\/console\/triage/);
    await consolePage.locator('[data-test=bell][data-live=true]').waitFor();
    expect(await consolePage.locator('[data-test=bell] .el-badge__content').isVisible()).toBe(false); // nothing unread yet

    const normal = await post('chat-g12', '3号楼的路灯坏了好几天了，晚上黑黢黢的，我是张秀英，电话13812345678，麻烦来看一下');
    const urgent = await post('chat-g21', '建新路2号楼着火了，好大的烟，快来人！');

    // The screen: both messages listed without a reload, newest first; the urgent one red; the name and number masked.
    const urgentRow = screen.locator(`[data-test=message][data-id="${urgent}"]`);
    await urgentRow.waitFor();
    const normalRow = screen.locator(`[data-test=message][data-id="${normal}"]`);
    await normalRow.waitFor();
    expect(await screen.locator('[data-test=message]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))))).toEqual([urgent, normal]);
    expect(await urgentRow.getAttribute('class')).toContain('urgent');
    expect(await urgentRow.locator('.text').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color)).toBe('rgb(255, 107, 107)');
    expect(await urgentRow.innerText()).toContain('建新1网格');
    expect(await urgentRow.locator('.tag').innerText()).toBe('火情');
    const normalText = await normalRow.innerText();
    expect(normalText).toContain('花园2网格');
    expect(normalText).toContain('我是***');
    expect(normalText).not.toContain('张秀英');
    expect(normalText).not.toContain('13812345678');
    expect(await normalRow.getAttribute('class')).not.toContain('urgent');
    await screen.locator('[data-test=online-messages] .ovalue', { hasText: /^2$/ }).waitFor();
    expect(await screen.locator('[data-test=online-actionable] .ovalue').innerText()).toBe('2');
    expect(await screen.locator('[data-test=online-urgent] .ovalue').innerText()).toBe('1');
    expect(await screen.locator('[data-test=online-urgent]').getAttribute('class')).toContain('alarm');
    const size = await screen.evaluate<{ scroll: number; inner: number; width: number }>('({ scroll: document.documentElement.scrollHeight, inner: window.innerHeight, width: document.documentElement.scrollWidth })');
    expect(size.scroll).toBeLessThanOrEqual(size.inner);
    expect(size.width).toBeLessThanOrEqual(1920);
    await b.shot(screen, 'screen');

    // The console: a toast for the urgent one only, the header flashing, the bell counting its notice.
    const toast = consolePage.locator('.urgent-toast');
    await toast.waitFor();
    expect(await toast.locator('.el-notification__title').innerText()).toBe('紧急：建新1网格 火情');
    expect(await toast.count()).toBe(1);
    expect(await consolePage.locator('[data-test=console-header]').getAttribute('data-flashing')).toBe('true');
    await consolePage.locator('[data-test=bell] .el-badge__content', { hasText: /^1$/ }).waitFor();
    const settled = (selector: string) => consolePage.locator(selector).first().evaluate((el) => Promise.all((el as unknown as { getAnimations(o: object): { finished: Promise<unknown> }[] }).getAnimations({ subtree: true }).map((a) => a.finished)));
    await settled('.urgent-toast');
    await b.shot(consolePage, 'toast');
    await consolePage.locator('[data-test=bell-button]').click();
    await consolePage.locator('.notice-pop').waitFor();
    await settled('.notice-pop');
    const notice = consolePage.locator('[data-test=notice]');
    await notice.first().waitFor();
    expect(await notice.count()).toBe(1);
    expect(await notice.first().innerText()).toContain('紧急群消息');
    await b.shot(consolePage, 'console');

    // The notice opens the message queue and is read: the bell is quiet again.
    await notice.first().click();
    await consolePage.waitForURL(/\/console\/messages/);
    await consolePage.locator('[data-test=bell] .el-badge__content').waitFor({ state: 'hidden' });
    const read = await t.deps.db.selectFrom('notices').select(['read_at']).where('kind', '=', 'group_message.urgent')
      .where('user_id', '=', t.town.users.centre).executeTakeFirstOrThrow();
    expect(read.read_at).not.toBeNull();
    // The toast leads to the queue too.
    await consolePage.goto(`${t.base}/console/triage`);
    await consolePage.locator('[data-test=bell][data-live=true]').waitFor();
    await post('chat-g21', '建新路小区有人打架，都见血了，快报警！');
    const second = consolePage.locator('.urgent-toast', { hasText: '暴力斗殴' });
    await second.waitFor();
    await second.click();
    await consolePage.waitForURL(/\/console\/messages\?urgent=true/);
    expect(problems).toEqual([]);
  });
});
