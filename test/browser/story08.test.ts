import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { tinyJpeg } from '../helpers/matters.ts';
import { DESKTOP, signIn } from '../helpers/pages.ts';
import { useTestTown } from '../helpers/town.ts';

// Story 8 across the phone and the console: 王建国's message in the group becomes a topic on the community console;
// he and 李秀英 support it on their phones; the community puts a plan with a crowdfunding goal and opens the vote;
// he votes and she pledges on the phone; the community closes the vote, starts the project, reports it done with a
// photo of the result; his phone shows the park built, and the stairwell's notice board says so to anyone.
describe('story 8 in the browser: from a group message to the park built', () => {
  const t = useTestTown({ seed: 'story', listen: true });
  const b = useBrowser();
  const problems: string[] = [];

  it('walks the topic across the residents\' phones and the community console', async () => {
    const worker = await t.as('t_worker11');
    const group = (await t.deps.db.selectFrom('online_groups').select('id').where('external_id', '=', 'wrG11').executeTakeFirstOrThrow()).id;
    await worker.ok('POST', `/api/online-groups/${group}/members`, { externalUserId: 'wx-wangjianguo', displayName: '王建国', residentId: t.town.residents.r11 });
    const message = await worker.ok<{ id: number }>('POST', `/api/online-groups/${group}/messages`, {
      senderName: '王建国', text: '双龙桥下面道路坑坑洼洼的，能不能整修一下，再加点儿童游乐设施？娃儿些莫得地方耍', clientId: randomUUID(),
    });

    // The community console: the message becomes a topic of the community that needs two supports.
    const staff = await signIn(b, t.base, 't_staff1', '/console/messages', problems, DESKTOP);
    const desk = staff.page;
    await desk.locator(`[data-test=msg-to-topic-${message.id}]`).click();
    await desk.locator('input[data-test=raise-title]').fill('整修双龙桥下道路，增加儿童游乐设施');
    await desk.locator('[data-test=raise-threshold] input').fill('2');
    await desk.locator('[data-test=raise-confirm]').click();
    await desk.waitForURL(/\/console\/topics\/\d+$/);
    const topicId = Number(new URL(desk.url()).pathname.split('/').pop());
    await desk.locator('[data-test=topic-stage][data-stage=collecting]').waitFor();
    expect(await t.deps.db.selectFrom('topics').select(['message_id', 'scope', 'node_id']).where('id', '=', topicId).executeTakeFirstOrThrow())
      .toEqual({ message_id: message.id, scope: 'community', node_id: t.town.c1.id });

    // Both neighbours support it on their phones; the second support starts the deliberation.
    const wang = await signIn(b, t.base, 't_resident', `/r/topics/${topicId}`, problems);
    const li = await signIn(b, t.base, 't_resident12', `/r/topics/${topicId}`, problems);
    for (const phone of [wang.page, li.page]) {
      await phone.locator('[data-test=r-support][data-mine="0"]').click();
      await phone.locator('[data-test=r-support][data-mine="1"]').waitFor();
    }
    await desk.reload();
    await desk.locator('[data-test=topic-stage][data-stage=deliberating]').waitFor();

    // The console: a plan with a money goal, then the vote.
    await desk.locator('.el-tabs__item', { hasText: '方案' }).click();
    await desk.locator('[data-test=plan-add]').click();
    await desk.locator('input[data-test=plan-title]').fill('桥下口袋公园');
    await desk.locator('textarea[data-test=plan-body]').fill('整平路面，铺塑胶步道，安装滑梯和秋千');
    await desk.locator('[data-test=plan-goal-add]').click();
    await desk.locator('[data-test=plan-goal-0] input[data-test=goal-label]').fill('居民众筹资金');
    await desk.locator('[data-test=plan-goal-0] [data-test=goal-target] input').fill('6000');
    await desk.locator('[data-test=plan-save]').click();
    await desk.locator('[data-test=plans] .plan', { hasText: '桥下口袋公园' }).waitFor();
    await desk.locator('.el-tabs__item', { hasText: '表决' }).click();
    await desk.locator('[data-test=vote-open]').click();
    await desk.locator('[data-test=vo-confirm]').click();
    await desk.locator('[data-test=topic-stage][data-stage=voting]').waitFor();

    // On the phones: he votes for it, she pledges 200 元.
    await wang.page.reload();
    await wang.page.locator('[data-test=r-vote-approval][data-value=yes]').click();
    await wang.page.locator('[data-test=r-vote-done]').waitFor();
    await li.page.reload();
    await li.page.locator('[data-test=r-pledge-goal][data-kind=money]').click();
    await li.page.locator('[data-test=r-pledge-amount] input').fill('200');
    await li.page.locator('[data-test=r-pledge-submit]').click();
    await li.page.locator('[data-test=r-pledge-done]').waitFor();

    // The console closes the vote, starts the project and reports it built with a photo of the result.
    await desk.reload();
    await desk.locator('.el-tabs__item', { hasText: '表决' }).click();
    await desk.locator('[data-test=vote-close]').click();
    await desk.locator('textarea[data-test=vc-outcome]').fill('同意建桥下口袋公园');
    await desk.locator('[data-test=vc-confirm]').click();
    await desk.locator('[data-test=topic-stage][data-stage=decided]').waitFor();
    await desk.locator('.el-tabs__item', { hasText: '实施' }).click();
    await desk.locator('[data-test=project-start]').click();
    await desk.locator('[data-test=ps-milestone-0] input[data-test=ps-ms-title]').fill('整平路面并安装设施');
    await desk.locator('[data-test=ps-save]').click();
    await desk.locator('[data-test=topic-stage][data-stage=implementing]').waitFor();
    const milestone = await t.deps.db.selectFrom('project_milestones as m').innerJoin('deliberation_projects as p', 'p.id', 'm.project_id').select('m.id').where('p.topic_id', '=', topicId).executeTakeFirstOrThrow();
    await desk.locator(`[data-test=milestone-update-${milestone.id}]`).click();
    await desk.locator('[data-test=mu-progress] input').fill('100');
    await desk.locator('[data-test=mu-save]').click();
    await desk.locator('[data-test=project-progress][data-progress="100"]').waitFor();
    await desk.locator('[data-test=project-complete]').click();
    await desk.locator('input[data-test=pc-photos]').setInputFiles({ name: 'park.jpg', mimeType: 'image/jpeg', buffer: tinyJpeg() });
    await desk.locator('[data-test=pc-photos-count]').waitFor();
    await desk.locator('textarea[data-test=pc-note]').fill('桥下口袋公园建成开放');
    await desk.locator('[data-test=pc-save]').click();
    await desk.locator('[data-test=topic-stage][data-stage=completed]').waitFor();

    // His phone shows the park built; the notice board tells anyone, with the pledger masked.
    await wang.page.reload();
    await wang.page.locator('[data-test=r-project][data-status=completed][data-progress="100"]').waitFor();
    const board = await b.newPage();
    await board.goto(`${t.base}/board/t/${topicId}`);
    await board.getByText('已建成').first().waitFor();
    const text = await board.locator('body').innerText();
    expect(text).toContain('李**');
    expect(text).not.toContain('李秀英');
    // The statistics page counts it for the community: raised, passed, built (solved by deliberation).
    await desk.goto(`${t.base}/console/stats?nodeId=${t.town.c1.id}`);
    const row = desk.locator('[data-test=stats-deliberation] .el-table__body tr').first();
    await row.waitFor();
    expect(await row.locator('[data-test=delib-raised]').innerText()).toBe('1');
    expect(await row.locator('[data-test=delib-implemented]').innerText()).toBe('1');
    expect(problems).toEqual([]);
  });
});
