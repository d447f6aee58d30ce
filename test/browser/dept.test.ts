import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { PNG_1x1 } from '../helpers/matters.ts';
import { fillLogin, watchConsole } from '../helpers/pages.ts';
import { useTestTown } from '../helpers/town.ts';

// A department leads a town matter with a joint-duty post assisting: the department handler accepts it
// under 待接收, the post marks its part done, and the department handles it with a note and a photo.
describe('the department and post pages in a browser', () => {
  const t = useTestTown({ listen: true });
  const b = useBrowser({ screenshots: 'dept' });
  let matterId: number;
  let matterCode: string;

  beforeAll(async () => {
    const centre = await t.as('t_centre');
    const reported = await centre.ok<{ id: number; code: string }>('POST', '/api/matters', {
      source: 'hotline', channel: 'phone', title: '学校门口早高峰拥堵', description: '花园小学门口早高峰车辆乱停，学生过马路危险', location: { nodeId: t.town.g11.id }, urgent: true,
    });
    matterId = reported.id;
    matterCode = reported.code;
    await centre.step(matterId, 'register', { categoryCode: 'S06001', scope: 'public', complexity: 'complex' });
    await centre.step(matterId, 'dispatch', { lead: { kind: 'department', id: t.town.police.id }, assists: [{ kind: 'post', id: t.town.post.id }] });
  });

  const problems: string[] = [];
  async function signIn(username: string, viewport: { width: number; height: number }): Promise<Page> {
    const page = await b.newPage({ viewport });
    watchConsole(page, problems);
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`${username}: ${r.status()} ${r.url()}`); });
    await fillLogin(page, t.base, '/dept', username);
    await page.waitForURL(/\/dept/);
    return page;
  }
  const item = (page: Page, tab: string) => page.locator(`[data-test=list-${tab}] [data-test=matter-item][data-id="${matterId}"]`);

  it('lets the lead accept, the assist finish its part, and the lead handle with a note and a photo', async () => {
    const lead = await signIn('t_police', { width: 1440, height: 900 });
    await item(lead, 'pending').waitFor();
    expect(await item(lead, 'pending').innerText()).toContain('学校门口早高峰拥堵');
    expect(await item(lead, 'pending').locator('[data-test=due]').innerText()).toMatch(/剩余/);
    await b.shot(lead, 'list-desktop');

    await item(lead, 'pending').click();
    await lead.locator('[data-test=action-accept]').waitFor();
    // A lead that has not accepted may only accept or return.
    expect(await lead.locator('[data-test=actions] button').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-test')))).toEqual(['action-accept', 'action-return']);
    await lead.locator('[data-test=action-accept]').click();
    await lead.locator('[data-test=matter-status][data-status=handling]').waitFor();
    // The assist is still at work: the lead may write progress but not yet mark the matter handled.
    await lead.locator('[data-test=wait-assists]').waitFor();
    expect(await lead.locator('[data-test=action-handle]').count()).toBe(0);
    expect(await lead.locator('[data-test=action-progress]').count()).toBe(1);

    // The post (assist) on a phone: accept, then mark its part done.
    const assist = await signIn('t_post', { width: 360, height: 740 });
    await item(assist, 'pending').waitFor();
    await b.shot(assist, 'list-phone');
    await item(assist, 'pending').click();
    await assist.locator('[data-test=action-accept]').click();
    await assist.locator('[data-test=action-assistDone]').waitFor();
    expect(await assist.locator('[data-test=action-handle]').count()).toBe(0);
    await assist.locator('[data-test=action-assistDone]').click();
    await assist.locator('[data-test=note] textarea').fill('交通岗早高峰在校门口值守疏导');
    await assist.locator('[data-test=submit]').click();
    await assist.locator('[data-test=no-action]').waitFor();
    if (process.env.SCREENSHOTS) {
      await assist.locator('.van-toast').waitFor({ state: 'hidden' });
      await b.shot(assist, 'matter-phone', { fullPage: false });
    }
    await assist.goto(`${t.base}/dept?tab=done`);
    await item(assist, 'done').waitFor();

    // The lead handles it with a note and a photo.
    await lead.reload();
    await lead.locator('[data-test=action-handle]').waitFor();
    await lead.locator('[data-test=action-handle]').click();
    await lead.locator('[data-test=note] textarea').fill('已在校门口施划禁停线并安排民警早晚值守');
    await lead.locator('[data-test=photos] input[type=file]').setInputFiles({ name: 'result.png', mimeType: 'image/png', buffer: PNG_1x1 });
    await lead.locator('[data-test=photos] .van-uploader__preview').waitFor();
    await b.shot(lead, 'handle-desktop');
    await lead.locator('[data-test=submit]').click();
    await lead.locator('[data-test=matter-status][data-status=handled]').waitFor();
    if (process.env.SCREENSHOTS) {
      await lead.locator('.van-toast').waitFor({ state: 'hidden' });
      await b.shot(lead, 'matter-desktop');
    }

    const centre = await t.as('t_centre');
    const detail = await centre.matter(matterId);
    expect(detail.status).toBe('handled');
    expect(detail.assignments.map((a) => [a.role, a.targetKind, a.status])).toEqual([['lead', 'department', 'done'], ['assist', 'post', 'done']]);
    expect(detail.timeline.map((e) => e.action)).toEqual(['report', 'register', 'dispatch', 'accept', 'assist_accept', 'assist_done', 'handle']);
    expect(detail.timeline.at(-1)?.note).toBe('已在校门口施划禁停线并安排民警早晚值守');
    expect(detail.photos.map((p) => p.stage)).toEqual(['result']);

    // Done: the matter has left 待接收 and 办理中 and shows under 已办结, with its code.
    await lead.goto(`${t.base}/dept?tab=done`);
    await item(lead, 'done').waitFor();
    expect(await item(lead, 'done').getAttribute('data-code')).toBe(matterCode);
    expect(await lead.locator(`[data-test=matter-item][data-id="${matterId}"]`).count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it('returns a matter with a reason, which sends it back to the centre', async () => {
    const centre = await t.as('t_centre');
    const m = await centre.ok<{ id: number }>('POST', '/api/matters', { source: 'hotline', description: '小区门口共享单车堆放堵住通道', location: { nodeId: t.town.g12.id } });
    await centre.step(m.id, 'register', { categoryCode: 'S06001', scope: 'public' });
    await centre.step(m.id, 'dispatch', { lead: { kind: 'post', id: t.town.post.id } });
    const page = await signIn('t_post', { width: 360, height: 740 });
    await page.locator(`[data-test=matter-item][data-id="${m.id}"]`).click();
    await page.locator('[data-test=action-return]').click();
    await page.locator('[data-test=submit]').isDisabled();
    expect(await page.locator('[data-test=submit]').isDisabled()).toBe(true);
    await page.locator('[data-test=note] textarea').fill('不属于交通岗职责，建议派城管');
    await page.locator('[data-test=submit]').click();
    await page.waitForURL(/\/dept\/?(\?|$)/);
    const detail = await centre.matter(m.id);
    expect(detail.status).toBe('registered');
    expect(detail.assignments[0]?.status).toBe('returned');
    expect(problems).toEqual([]);
  });
});
