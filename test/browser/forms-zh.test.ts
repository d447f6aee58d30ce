import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { DESKTOP, fillLogin, PHONE, watchConsole } from '../helpers/pages.ts';
import { useTestTown } from '../helpers/town.ts';

const CJK = /[\u4e00-\u9fff]/;
/** An English word on the page where a Chinese reader should see none (ids and numbers are fine). */
const ENGLISH = /[A-Za-z]{3,}/;

/** The message elements' texts, once at least one shows; each is Chinese and holds no English word. */
async function expectChinese(where: Locator, what: string): Promise<string[]> {
  await where.first().waitFor({ state: 'visible' });
  const texts = (await where.allInnerTexts()).map((s) => s.trim()).filter(Boolean);
  expect(texts.length, `${what}: a message shows`).toBeGreaterThan(0);
  for (const text of texts) {
    expect(text, `${what}: "${text}" is Chinese`).toMatch(CJK);
    expect(text, `${what}: "${text}" holds no English`).not.toMatch(ENGLISH);
  }
  return texts;
}

/** An Element Plus input by its data-test (Element Plus puts the attribute on the input, Vant on its wrapper). */
const input = (scope: Page | Locator, name: string) => scope.locator(`input[data-test="${name}"], textarea[data-test="${name}"], [data-test="${name}"] input, [data-test="${name}"] textarea`).first();

/** The field messages of Vant (van-field__error-message) and Element Plus (el-form-item__error) and ours. */
const FIELD_ERRORS = '.van-field__error-message, .el-form-item__error, [data-test=field-error]';

/**
 * Every area's forms, submitted empty and with bad values by a person reading Chinese: each mistake is named in
 * Chinese (the field in plain words), no English word shows, and a message goes as soon as the field is right.
 * Phones at 360×740 (/m, /r, /dept's post), desktops at 1440×900 (login, /console, /console/admin, /dept).
 */
describe('forms speak Chinese on every area', () => {
  const t = useTestTown({ seed: 'story', listen: true });
  const b = useBrowser({ screenshots: 'forms-zh' });
  const problems: string[] = [];
  let reported = 0;
  let toWorker = 0;
  let toPost = 0;

  beforeAll(async () => {
    const centre = await t.as('t_centre');
    reported = (await centre.ok<{ id: number }>('POST', '/api/matters', { source: 'hotline', description: '小区门口垃圾桶满了没人清', location: { nodeId: t.town.g11.id } })).id;
    toWorker = (await centre.ok<{ id: number }>('POST', '/api/matters', { source: 'hotline', description: '2栋门口路灯不亮', location: { nodeId: t.town.g11.id } })).id;
    await centre.step(toWorker, 'register', { categoryCode: 'S06001' });
    await centre.step(toWorker, 'dispatch', { lead: { kind: 'node', id: t.town.g11.id } });
    // An account whose username (digits: no English word in the message naming it) a new one will clash with.
    await (await t.as('t_admin')).ok('POST', '/api/users', { username: '20240001', displayName: '先来的人', password: 'a-long-password', roles: [{ role: 'grid_worker', nodeId: t.town.g12.id, employment: 'full_time' }] });
    toPost = (await centre.ok<{ id: number }>('POST', '/api/matters', { source: 'hotline', description: '路口车辆乱停', location: { nodeId: t.town.g12.id } })).id;
    await centre.step(toPost, 'register', { categoryCode: 'S06001', scope: 'public' });
    await centre.step(toPost, 'dispatch', { lead: { kind: 'post', id: t.town.post.id } });
  });

  async function open(viewport: { width: number; height: number }): Promise<Page> {
    const page = await b.newPage({ viewport, locale: 'zh-CN' });
    // A wrong password and a taken username are refused on purpose; the browser logs those answers.
    watchConsole(page, problems, [/status of 40[019]/]);
    return page;
  }

  it('the login page: empty fields, then a wrong password', async () => {
    const page = await open(DESKTOP);
    await page.goto(`${t.base}/login`);
    await page.locator('button[type=submit]').click();
    await expect.poll(() => page.locator(FIELD_ERRORS).count()).toBe(2);
    expect(await expectChinese(page.locator(FIELD_ERRORS), 'login empty')).toEqual(['请写上账号', '请写上密码']);
    await b.shot(page, 'login-empty');
    // The message goes as soon as the field is filled, without another submit.
    await page.locator('input[name=username]').fill('t_admin');
    await page.locator(FIELD_ERRORS).filter({ hasText: '账号' }).waitFor({ state: 'detached' });
    expect(await page.locator(FIELD_ERRORS).allInnerTexts()).toEqual(['请写上密码']);
    await page.locator('input[name=password]').fill('not-the-password');
    const sent = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/auth/login');
    await page.locator('button[type=submit]').click();
    expect((await sent).headers()['accept-language']).toBe('zh-CN,zh;q=0.9');
    await expectChinese(page.locator('.login [role=alert]'), 'login refused');
    expect(await page.locator(FIELD_ERRORS).count()).toBe(0);
    // The server's refusal is about what was sent: it goes once the password is edited.
    await page.locator('input[name=password]').fill('another-try');
    await page.locator('.login [role=alert]').waitFor({ state: 'detached' });
  });

  it('speaks English to an English reader, from the page and from the server', async () => {
    const page = await open(DESKTOP);
    await page.addInitScript({ content: "localStorage.setItem('dg.lang', 'en')" });
    await page.goto(`${t.base}/login`);
    await page.locator('button[type=submit]').click();
    await expect.poll(() => page.locator(FIELD_ERRORS).allInnerTexts()).toEqual(['Please fill in Username', 'Please fill in Password']);
    await page.locator('input[name=username]').fill('nobody');
    await page.locator('input[name=password]').fill('not-the-password');
    const sent = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/auth/login');
    await page.locator('button[type=submit]').click();
    // The client asks the server for English, so its messages come back in English too.
    expect((await sent).headers()['accept-language']).toBe('en');
    expect(await page.locator('.login [role=alert]').innerText()).not.toMatch(CJK);
  });

  it('/m: recording a matter and returning one, empty and too short', async () => {
    const page = await open(PHONE);
    await fillLogin(page, t.base, '/m/record', 't_worker11');
    await page.locator('[data-test=record-form]').waitFor();
    await page.locator('[data-test=record-form] button[type=submit]').click();
    await expectChinese(page.locator(FIELD_ERRORS), 'record empty');
    await page.locator('[data-test=record-description] textarea').fill('脏');
    await expectChinese(page.locator(FIELD_ERRORS), 'record too short');
    await page.locator('[data-test=record-description] textarea').fill('楼道堆满杂物');
    await page.locator(FIELD_ERRORS).first().waitFor({ state: 'detached' });

    await page.goto(`${t.base}/m/matters/${toWorker}`);
    await page.locator('[data-test=action-return]').click();
    await page.locator('[data-test=action-submit]').click();
    expect(await expectChinese(page.locator(FIELD_ERRORS), 'return empty')).toEqual([expect.stringContaining('请写上')]);
    await page.locator('[data-test=action-note] textarea').fill('不');
    expect((await expectChinese(page.locator(FIELD_ERRORS), 'return too short'))[0]).toContain('至少要写 2 个字');
    await b.shot(page, 'worker-return');
    await page.locator('[data-test=action-note] textarea').fill('不属于本网格');
    await page.locator(FIELD_ERRORS).first().waitFor({ state: 'detached' });

    // A visit without a household; ticking one clears the message.
    await page.goto(`${t.base}/m/visits`);
    await page.locator('[data-test=visit-household]').first().waitFor();
    await page.locator('[data-test=visit-form] button[type=submit]').click();
    await expectChinese(page.locator(FIELD_ERRORS), 'visit without a household');
    await page.locator('[data-test=visit-household]').first().click();
    await page.locator(FIELD_ERRORS).first().waitFor({ state: 'detached' });
  });

  it('/r: signing in by phone and reporting, empty and with a bad number', async () => {
    const page = await open(PHONE);
    await page.goto(`${t.base}/r/login?next=/r/report`);
    await page.locator('[data-test=r-login]').click();
    await expect.poll(() => page.locator(FIELD_ERRORS).count()).toBe(2);
    expect(await expectChinese(page.locator(FIELD_ERRORS), 'resident login empty')).toHaveLength(2);
    await page.locator('[data-test=r-phone] input').fill('12345');
    await page.locator('[data-test=r-send-code]').click();
    await expectChinese(page.locator('[data-test=r-phone] .van-field__error-message'), 'resident bad phone');
    await b.shot(page, 'resident-login');
    await page.locator('[data-test=r-phone] input').fill('13900005678');
    await page.locator('[data-test=r-phone] .van-field__error-message').waitFor({ state: 'detached' });
    await page.locator('[data-test=r-send-code]').click();
    await page.locator('[data-test=r-demo-fill]').click();
    await page.locator('[data-test=r-code] .van-field__error-message').waitFor({ state: 'detached' });
    await page.locator('[data-test=r-login]').click();
    await page.waitForURL((u) => u.pathname === '/r/report');
    await page.locator('[data-test=r-next]').click();
    await expectChinese(page.locator(FIELD_ERRORS), 'report empty');
    await page.locator('[data-test=r-desc] textarea').fill('灯');
    await expectChinese(page.locator(FIELD_ERRORS), 'report too short');
    await page.locator('[data-test=r-desc] textarea').fill('路灯不亮');
    await page.locator(FIELD_ERRORS).first().waitFor({ state: 'detached' });
  });

  it('/console: triage refuses a one-character title and an empty reason in Chinese', async () => {
    const page = await open(DESKTOP);
    await fillLogin(page, t.base, '/console/triage', 't_centre');
    await page.locator(`[data-test=queue-row-${reported}]`).click();
    await input(page, 'reg-title').fill('垃');
    await page.locator('[data-test=reg-confirm]').click();
    await expectChinese(page.locator('[data-test=triage-drawer] .el-form-item__error'), 'title too short');
    await input(page, 'reg-title').fill('');
    await page.locator('[data-test=triage-drawer] .el-form-item__error').first().waitFor({ state: 'detached' });
    await page.locator('[data-test=reject-open]').click();
    await page.locator('[data-test=reject-confirm]').click();
    await expectChinese(page.locator('[data-test=triage-drawer] .el-form-item__error'), 'reject empty');
    await b.shot(page, 'console-reject');
    await input(page, 'reject-reason').fill('重复');
    await page.locator('[data-test=triage-drawer] .el-form-item__error').first().waitFor({ state: 'detached' });
  });

  it('/console/admin: a new account empty, with bad values, then one the server refuses', async () => {
    const page = await open(DESKTOP);
    await fillLogin(page, t.base, '/console/admin/people', 't_admin');
    await page.locator('[data-test=add-user]').click();
    const dialog = page.locator('.el-dialog[data-test=user-dialog]');
    await dialog.locator('[data-test=user-submit]').click();
    await expect.poll(() => dialog.locator('.el-form-item__error').count()).toBe(3);
    expect(await expectChinese(dialog.locator('.el-form-item__error'), 'account empty')).toEqual(['请写上用户名', '请写上姓名', '请写上初始密码']);
    await input(dialog, 'new-username').fill('a');
    await input(dialog, 'new-password').fill('short');
    await input(dialog, 'new-phone').fill('12345');
    await dialog.locator('[data-test=user-submit]').click();
    // The empty-name message stays while the other three change: wait for all four rather than the first seen.
    await expect.poll(() => dialog.locator('.el-form-item__error').count()).toBe(4);
    expect(await expectChinese(dialog.locator('.el-form-item__error'), 'account bad values')).toHaveLength(4);
    await b.shot(page, 'admin-account');
    await input(dialog, 'new-username').fill('20240001');
    await input(dialog, 'new-displayname').fill('重名的人');
    await input(dialog, 'new-password').fill('a-long-password');
    await input(dialog, 'new-phone').fill('');
    await expect.poll(() => dialog.locator('.el-form-item__error').count()).toBe(0);
    await dialog.locator('[data-test=user-submit]').click();
    // The server refuses the taken username: its message comes back in Chinese.
    expect((await expectChinese(dialog.locator('[data-test=user-error]'), 'account refused by the server'))[0]).toContain('用户名 20240001');
    await input(dialog, 'new-username').fill('w_new1');
    await dialog.locator('[data-test=user-error]').waitFor({ state: 'detached' });
  });

  it('/dept: a return with an empty and a one-character reason', async () => {
    const page = await open(PHONE);
    await fillLogin(page, t.base, '/dept', 't_post');
    await page.waitForURL(/\/dept/);
    await page.goto(`${t.base}/dept/matters/${toPost}`);
    await page.locator('[data-test=action-return]').click();
    const note = page.locator('[data-test=note] textarea');
    await note.focus();
    await note.blur();
    expect(await expectChinese(page.locator(FIELD_ERRORS), 'dept empty')).toEqual([expect.stringContaining('请写上')]);
    await note.fill('不');
    expect((await expectChinese(page.locator(FIELD_ERRORS), 'dept too short'))[0]).toContain('至少要写 2 个字');
    await b.shot(page, 'dept-return');
    await note.fill('不属于交通岗');
    await page.locator(FIELD_ERRORS).first().waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
  });
});
