import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { type Person, signIn } from '../helpers/pages.ts';
import { useTestTown } from '../helpers/town.ts';

/** With SHOTS_DIR set, a 360×740 picture of the page as r-<name>.png there (b.shot's docs pictures need SCREENSHOTS=1). */
async function snap(page: Page, name: string): Promise<void> {
  const dir = process.env.SHOTS_DIR;
  if (!dir) return;
  // From the top, so the fixed navigation bar sits where the eye expects it in the full-page picture.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: `${dir}/r-${name}.png`, fullPage: true });
}

type Doc = { document: { documentElement: { scrollWidth: number; clientWidth: number } } };

/** The page is no wider than the phone (nothing pushes it sideways) and speaks Chinese: no English word on it. */
async function fitsThePhone(page: Page): Promise<void> {
  const { scroll, client } = await page.evaluate(() => {
    const d = (globalThis as unknown as Doc).document.documentElement;
    return { scroll: d.scrollWidth, client: d.clientWidth };
  });
  expect(scroll, page.url()).toBeLessThanOrEqual(client);
  // The language switch on the home page names English in English; nothing else does.
  const text = (await page.locator('.r-page').innerText()).replace(/\bEnglish\b/, '');
  expect(text.match(/[A-Za-z]{3,}/g) ?? [], page.url()).toEqual([]);
}

/** Every button on the page is big enough for an old finger: 44 px high at least. */
async function bigButtons(page: Page): Promise<void> {
  for (const box of await page.locator('.r-page button:visible, .r-page a.van-button:visible').evaluateAll((els) => els.map((e) => (e as unknown as { offsetHeight: number; innerText: string })).map((e) => ({ h: e.offsetHeight, text: e.innerText })))) {
    expect(box.h, box.text).toBeGreaterThanOrEqual(44);
  }
}

// 大家议一议 on the phone: 王建国 (花园社区 1网格) raises a topic for the whole community; 李秀英 of the 2网格 finds it,
// supports it (已支持) and says what she thinks; 王建国 sees both and answers her in the thread. Then the
// community staff put a plan with crowdfunding goals and open the vote: 李秀英 votes 赞成 on her phone, a second
// tap after a paper ballot is refused in Chinese (ALREADY_VOTED), she pledges money and labour, and checks in at
// the meeting with its QR link.
describe('the resident deliberation pages in a browser', () => {
  const t = useTestTown({ seed: 'story', listen: true });
  const b = useBrowser();
  const problems: string[] = [];
  let wang: Person;
  let li: Person;
  let topicId = 0;

  it('a resident raises a topic; a second resident supports and comments; the topic page shows both', async () => {
    wang = await signIn(b, t.base, 't_resident', '/r', problems);
    const page = wang.page;
    await page.locator('[data-test=r-go-topics]').waitFor();
    await snap(page, 'home');
    await fitsThePhone(page);
    await page.locator('[data-test=r-go-topics]').click();
    await page.locator('[data-test=r-topics][data-loaded="1"]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/r/topics');
    await snap(page, 'topics-empty');

    await page.locator('[data-test=r-topic-new]').click();
    await page.locator('[data-test=r-topic-form]').waitFor();
    // Without a title: a message under the field, nothing sent.
    await page.locator('[data-test=r-topic-submit]').click();
    expect(await page.locator('[data-test=r-topic-title] .van-field__error-message').innerText()).toContain('请写一写议题');
    await page.locator('[data-test=r-topic-title] input').fill('桥下那块烂泥巴地能不能整个小公园');
    await page.locator('[data-test=r-topic-body] textarea').fill('下雨天娃儿些莫得地方耍，能不能整平了加点儿童设施？');
    await page.locator('[data-test=r-topic-scope][data-scope=community]').click();
    expect(await page.locator('[data-test=r-topic-scope][data-scope=community]').getAttribute('aria-checked')).toBe('true');
    await snap(page, 'topic-new');
    await fitsThePhone(page);
    await page.locator('[data-test=r-topic-submit]').click();
    await page.waitForURL(/\/r\/topics\/\d+$/);
    topicId = Number(new URL(page.url()).pathname.split('/').at(-1));
    await page.locator('[data-test=r-topic-title]').waitFor();
    expect(await page.locator('[data-test=r-topic-title]').innerText()).toBe('桥下那块烂泥巴地能不能整个小公园');
    expect(await page.locator('[data-test=r-topic-stage]').innerText()).toBe('等大家附议');
    expect(await page.locator('[data-test=r-support-count]').getAttribute('data-count')).toBe('0');
    expect(await page.locator('[data-test=r-comments-empty]').isVisible()).toBe(true);

    const row = await t.deps.db.selectFrom('topics').select(['title', 'scope', 'node_id', 'stage', 'support_threshold']).where('id', '=', topicId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ scope: 'community', node_id: t.town.c1.id, stage: 'collecting', support_threshold: 10 });

    // 李秀英 on her own phone: the topic is in her list, in Chinese, with its support and place.
    li = await signIn(b, t.base, 't_resident12', '/r/topics', problems);
    const her = li.page;
    const card = her.locator(`[data-test=r-topic-item][data-id="${topicId}"]`);
    await card.waitFor();
    expect(await card.locator('[data-test=r-topic-item-stage]').innerText()).toBe('等大家附议');
    expect(await card.locator('[data-test=r-topic-item-support]').innerText()).toBe('附议 0 / 10 人');
    expect(await card.innerText()).toContain('本社区');
    await snap(her, 'topics');
    await fitsThePhone(her);
    await card.click();
    await her.locator('[data-test=r-support][data-mine="0"]').click();
    await her.locator('[data-test=r-support][data-mine="1"]').waitFor();
    expect(await her.locator('[data-test=r-support]').innerText()).toContain('已支持');
    expect(await her.locator('[data-test=r-support]').isDisabled()).toBe(true);
    expect(await her.locator('[data-test=r-support-count]').getAttribute('data-count')).toBe('1');

    await her.locator('[data-test=r-comment-input] textarea').fill('要得！我孙娃儿天天在那边耍，整平了大家都方便。');
    await her.locator('[data-test=r-comment-send]').click();
    const hers = her.locator('[data-test=r-comment]').first();
    await hers.waitFor();
    expect(await hers.locator('[data-test=r-comment-author]').innerText()).toBe('李**');
    expect(await hers.locator('[data-test=r-real-name]').innerText()).toBe('实名居民');
    await snap(her, 'topic');
    await fitsThePhone(her);

    // 王建国 opens the topic again: her support and her words are there; he answers her.
    await page.reload();
    await page.locator('[data-test=r-support-count][data-count="1"]').waitFor();
    const comment = page.locator('[data-test=r-comment]');
    await comment.first().waitFor();
    expect(await comment.count()).toBe(1);
    expect(await comment.first().locator('[data-test=r-comment-body]').innerText()).toBe('要得！我孙娃儿天天在那边耍，整平了大家都方便。');
    expect(await comment.first().getAttribute('data-real-name')).toBe('resident');
    // He raised it but has not supported it himself: the button is still his to press.
    expect(await page.locator('[data-test=r-support]').getAttribute('data-mine')).toBe('0');
    const parentId = await comment.first().getAttribute('data-id');
    await comment.first().locator('[data-test=r-comment-reply]').click();
    expect(await page.locator('[data-test=r-comment-form]').getAttribute('data-reply-to')).toBe(parentId);
    expect(await page.locator('[data-test=r-comment-form]').innerText()).toContain('回复 李**');
    await page.locator('[data-test=r-comment-input] textarea').fill('我问了社区，说可以先出个方案大家看。');
    await page.locator('[data-test=r-comment-send]').click();
    await page.locator(`[data-test=r-comment][data-parent="${parentId}"]`).waitFor();
    expect(await page.locator(`[data-test=r-comment][data-parent="${parentId}"]`).innerText()).toContain('回复 李**');

    const supports = await t.deps.db.selectFrom('topic_supports').select('resident_id').where('topic_id', '=', topicId).execute();
    expect(supports.map((s) => s.resident_id)).toEqual([t.town.residents.r12]);
    const comments = await t.deps.db.selectFrom('topic_comments').select(['parent_id']).where('topic_id', '=', topicId).orderBy('id').execute();
    expect(comments.map((c) => c.parent_id)).toEqual([null, Number(parentId)]);
    expect(problems).toEqual([]);
  });

  it('shows the plans and the vote, refuses a second vote in Chinese, takes pledges and checks in at the meeting', async () => {
    const staff = await t.as('t_staff1');
    await staff.ok('POST', `/api/topics/${topicId}/advance`, { note: '先商量' });
    const plan = await staff.ok<{ id: number }>('POST', `/api/topics/${topicId}/plans`, {
      title: '整平后铺塑胶地面、装两个滑梯', body: '先整平，再铺地面，最后装设施。', costYuan: 38000,
      goals: [{ kind: 'money', label: '居民众筹资金', unit: '元', target: 6000 }, { kind: 'labour', label: '义务出工', unit: '小时', target: 40 }],
    });
    const her = li.page;
    await her.reload();
    await her.locator(`[data-test=r-plan][data-id="${plan.id}"]`).waitFor();
    expect(await her.locator('[data-test=r-topic-stage]').innerText()).toBe('大家商量中');
    expect(await her.locator('[data-test=r-plan]').innerText()).toContain('估计花费：38,000 元');

    // 我来出力: 200 元 toward the money, 6 hours of work.
    await her.locator('[data-test=r-pledge-goal][data-kind=money]').click();
    await her.locator('[data-test=r-pledge-amount] input').fill('200');
    await her.locator('[data-test=r-pledge-submit]').click();
    await her.locator('[data-test=r-pledge-done]').waitFor();
    await her.locator('[data-test=r-pledge-goal][data-kind=labour]').click();
    await her.locator('[data-test=r-pledge-amount] input').fill('6');
    await her.locator('[data-test=r-pledge-note] textarea').fill('周末都有空');
    await her.locator('[data-test=r-pledge-submit]').click();
    await her.locator('[data-test=r-my-pledge]').nth(1).waitFor();
    const mine = await her.locator('[data-test=r-my-pledge]').allInnerTexts();
    expect(mine.join('|')).toContain('居民众筹资金 200 元');
    expect(mine.join('|')).toContain('义务出工 6 小时');
    expect(await her.locator('[data-test=r-goal][data-kind=money]').getAttribute('data-percent')).toBe('3');
    await snap(her, 'topic-plans');

    // The vote opens; her page still shows no vote of hers when a paper ballot is recorded for her.
    await staff.ok('POST', `/api/topics/${topicId}/vote/open`, { closesAt: new Date(Date.now() + 86_400_000).toISOString() });
    await her.reload();
    await her.locator('[data-test=r-vote][data-voted="0"]').waitFor();
    await snap(her, 'topic-vote');
    await fitsThePhone(her);
    await bigButtons(her);
    await staff.ok('POST', `/api/topics/${topicId}/votes/record`, { residentId: t.town.residents.r12, channel: 'paper', approval: 'yes' });
    await her.locator('[data-test=r-vote-approval][data-value=yes]').click();
    const refused = her.locator('[data-test=r-vote-error]');
    await refused.waitFor();
    expect(await refused.innerText()).toMatch(/投过票.*一人只能投一票/);
    await her.locator('[data-test=r-vote][data-voted="1"]').waitFor();
    expect(await her.locator('[data-test=r-voted]').getAttribute('data-channel')).toBe('paper');

    // 王建国 votes on his phone: one vote, counted.
    const page = wang.page;
    await page.reload();
    await page.locator('[data-test=r-vote-approval][data-value=yes]').click();
    await page.locator('[data-test=r-vote-done]').waitFor();
    expect(await page.locator('[data-test=r-voted]').getAttribute('data-channel')).toBe('phone');
    const votes = await t.deps.db.selectFrom('topic_votes').select(['resident_id', 'channel']).where('topic_id', '=', topicId).orderBy('resident_id').execute();
    expect(votes).toEqual([{ resident_id: t.town.residents.r11, channel: 'phone' }, { resident_id: t.town.residents.r12, channel: 'paper' }]);

    // Closed: the result in words.
    await staff.ok('POST', `/api/topics/${topicId}/vote/close`, { outcome: '同意整平建小公园，下月开工。' });
    await page.reload();
    await page.locator('[data-test=r-result][data-passed="1"]').waitFor();
    expect(await page.locator('[data-test=r-outcome]').innerText()).toContain('同意整平建小公园');
    await snap(page, 'topic-result');

    // The meeting: its QR link checks her in at once.
    const meeting = await staff.ok<{ id: number }>('POST', '/api/meetings', {
      nodeId: t.town.c1.id, kind: 'neighbourhood', title: '小公园怎么建', place: '社区驿站', startsAt: new Date(Date.now() + 3_600_000).toISOString(), topicId,
    });
    await her.goto(`${t.base}/r/meetings/${meeting.id}/checkin`);
    await her.locator('[data-test=r-checkin-code]').waitFor();
    await her.locator('[data-test=r-checkin-submit]').click();
    expect(await her.locator('[data-test=r-checkin-code] .van-field__error-message').innerText()).toContain('6位');
    await snap(her, 'checkin');
    await fitsThePhone(her);
    const opened = await staff.ok<{ checkin: { code: string; url: string } }>('POST', `/api/meetings/${meeting.id}/open`);
    // The QR's link, on this test server (the link may be relative or name the public address).
    const link = new URL(opened.checkin.url, t.base);
    expect(link.pathname).toBe(`/r/meetings/${meeting.id}/checkin`);
    await her.goto(`${t.base}${link.pathname}${link.search}`);
    await her.locator('[data-test=r-checkin-done]').waitFor();
    expect(await her.locator('[data-test=r-checkin-done]').innerText()).toContain('签到成功');
    await snap(her, 'checkin-done');
    const attended = await t.deps.db.selectFrom('meeting_attendees').select(['via']).where('meeting_id', '=', meeting.id).execute();
    expect(attended).toEqual([{ via: 'qr' }]);

    // 大字模式 on the topic page: still no sideways scroll.
    await page.evaluate("localStorage.setItem('dg.r.large', '1')");
    await page.reload();
    await page.locator('[data-test=r-result]').waitFor();
    await snap(page, 'topic-large');
    await fitsThePhone(page);
    await bigButtons(page);
    // The one refused second vote answers 409 on purpose; the browser reports it as a failed resource.
    const conflicts = problems.filter((p) => /status of 409/.test(p));
    expect(conflicts).toHaveLength(1);
    expect(problems.filter((p) => !conflicts.includes(p))).toEqual([]);
  });

  it('keeps a topic raised with no network on the phone and sends it once when the network is back', async () => {
    const page = wang.page;
    await page.goto(`${t.base}/r/topics/new`);
    await page.locator('[data-test=r-topic-form]').waitFor();
    await wang.context.setOffline(true);
    await page.locator('[data-test=r-topic-title] input').fill('单元门口装个雨棚');
    await page.locator('[data-test=r-topic-submit]').click();
    await page.locator('[data-test=r-topic-saved]').waitFor();
    expect(await page.locator('[data-test=r-topic-saved]').innerText()).toContain('有网了会自动发出去');
    expect(await t.deps.db.selectFrom('topics').select('id').where('title', '=', '单元门口装个雨棚').execute()).toEqual([]);
    await wang.context.setOffline(false);
    const sent = page.locator('[data-test=r-topic-sent]');
    await sent.waitFor();
    const made = await t.deps.db.selectFrom('topics').select('id').where('title', '=', '单元门口装个雨棚').execute();
    expect(made).toHaveLength(1);
    expect(await sent.getAttribute('data-id')).toBe(String(made[0]?.id));
    await sent.click();
    await page.locator(`[data-test=r-topic][data-id="${made[0]?.id}"]`).waitFor();
    // The failed send while offline is the network, not the page.
    expect(problems.filter((p) => !/status of 409|ERR_INTERNET_DISCONNECTED/.test(p))).toEqual([]);
  });
});
