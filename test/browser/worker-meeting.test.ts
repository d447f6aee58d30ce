import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { PHONE_CONTEXT, signInToInbox } from '../helpers/pages.ts';
import { useTestTown } from '../helpers/town.ts';

describe('a round table run from the grid worker’s phone', () => {
  const t = useTestTown({ seed: 'story', listen: true });
  const b = useBrowser({ context: PHONE_CONTEXT, screenshots: 'worker-meeting' });

  it('starts check-in, records a resident present and her raised hand once, and closes with minutes', async () => {
    const staff = await t.as('t_staff1');
    const resident = await t.as('t_resident');
    const worker = await t.as('t_worker11');
    // 张桂芳 lives in the grid and has no phone account: she comes to the table in person.
    await worker.ok('POST', '/api/residents', { gridId: t.town.g11.id, householdId: t.town.households.h1.id, name: '张桂芳', gender: 'F', birthDate: '1952-03-08' });
    const station = await staff.ok<{ id: number }>('POST', '/api/grid-stations', { nodeId: t.town.g11.id, name: '花园1网格驿站', brand: '连心桥' });
    const topic = await staff.ok<{ id: number }>('POST', '/api/topics', { title: '院坝装晾衣架', scope: 'community', nodeId: t.town.c1.id, supportThreshold: 0 });
    await staff.ok('POST', `/api/topics/${topic.id}/vote/open`, { closesAt: new Date(Date.now() + 86_400_000).toISOString() });
    const meeting = await staff.ok<{ id: number }>('POST', '/api/meetings', { nodeId: t.town.g11.id, kind: 'round_table', title: '晾衣架圆桌会', startsAt: new Date().toISOString(), stationId: station.id, topicId: topic.id });

    const { page, problems } = b;
    await signInToInbox(page, t.base);
    await page.goto(`${t.base}/m/me`);
    await page.click('[data-test=me-meetings]');
    await page.locator(`[data-test=m-meeting][data-id="${meeting.id}"]`).click();
    await page.locator('[data-test=m-meeting-page][data-state=planned]').waitFor();
    await page.click('[data-test=m-open]');
    const code = (await page.locator('[data-test=m-code]').innerText()).trim();
    expect(code).toMatch(/^\d{6}$/);
    expect(await page.locator('[data-test=m-checkin] svg').count()).toBe(1);
    await b.shot(page, 'code');
    // 王建国 types the code on his own phone; the count goes up when the worker's page next loads.
    await resident.ok('POST', `/api/meetings/${meeting.id}/checkin`, { code, via: 'code' });

    // 张桂芳 has no phone: the worker finds her, records her present and her raised hand.
    await page.fill('[data-test=m-name] input', '张桂芳');
    await page.click('[data-test=m-search]');
    const person = page.locator('[data-test=m-person]').first();
    await person.locator('[data-test=m-present]').click();
    await person.locator('[data-test=m-person-note]', { hasText: '已登记到会' }).waitFor();
    await page.locator('[data-test=m-attendance][data-count="2"]').waitFor();
    await person.locator('[data-test=m-hand-yes]').click();
    await person.locator('[data-test=m-person-note]', { hasText: '已记下这一票' }).waitFor();
    // A second hand for her is refused by the register, in Chinese, and nothing changes.
    await person.locator('[data-test=m-hand-no]').click();
    const refused = await person.locator('[data-test=m-person-note]', { hasText: '一人只能投一票' }).innerText();
    expect(refused).toContain('张桂芳');
    await b.shot(page, 'hands');
    const votes = await t.deps.db.selectFrom('topic_votes').select(['approval', 'channel', 'meeting_id']).where('topic_id', '=', topic.id).execute();
    expect(votes).toEqual([{ approval: 'yes', channel: 'meeting', meeting_id: meeting.id }]);

    await page.fill('[data-test=m-minutes] textarea', '到会居民同意在院坝东边装晾衣架，物业负责安装。');
    await page.click('[data-test=m-close]');
    await page.locator('[data-test=m-meeting-page][data-state=closed]').waitFor();
    expect((await staff.ok<{ minutes: string; attendance: number }>('GET', `/api/meetings/${meeting.id}`))).toMatchObject({ minutes: '到会居民同意在院坝东边装晾衣架，物业负责安装。', attendance: 2 });
    expect(problems.filter((p) => !p.includes('409'))).toEqual([]);
  });
});
