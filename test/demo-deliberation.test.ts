import { describe, expect, it } from 'vitest';
import { loadDemoDeliberation } from '../src/modules/demo/demo.deliberation.ts';
import { useTestTown } from './helpers/town.ts';

interface Board { totals: { raised: number; decided: number; implementing: number; completed: number; pledgedYuan: number }; topics: { title: string; stage: string; project: { progress: number } | null }[] }

describe('the demo town deliberates', () => {
  const t = useTestTown({ seed: 'demo' });

  it('carries topics at every stage of their life in community 01, through the API, with a board and figures', async () => {
    expect(await loadDemoDeliberation(t.app, t.deps)).toEqual({ topics: 5, meetings: 2 });
    const community = await t.deps.db.selectFrom('nodes').select('id').where('level', '=', 'community').orderBy('code').executeTakeFirstOrThrow();
    const board = (await t.app.inject({ method: 'GET', url: `/api/public/board/communities/${community.id}` })).json<Board>();
    expect(board.topics.map((x) => [x.title, x.stage]).sort()).toEqual([
      ['双龙桥下烂泥巴地整成口袋公园', 'completed'], ['垃圾分类亭挪到背街那边', 'voting'], ['广场舞声音太大咋个整', 'collecting'],
      ['老楼加装电梯', 'deliberating'], ['院坝里装电瓶车充电桩', 'implementing'],
    ].sort());
    expect(board.topics.find((x) => x.stage === 'implementing')?.project?.progress).toBe(55);
    expect(board.totals).toMatchObject({ raised: 5, decided: 2, implementing: 1, completed: 1, pledgedYuan: 5500 });
    const staff = await t.as('c01_staff1', 'dualgrid2024');
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    expect(await staff.ok('GET', `/api/deliberation/figures?nodeId=${community.id}&from=${today}&to=${today}`)).toMatchObject({ raised: 5, decided: 2, implemented: 1, solvedByDeliberation: 1 });
    const stations = await staff.ok<{ items: { brand: string }[] }>('GET', `/api/grid-stations?nodeId=${community.id}`);
    expect(stations.items.map((s) => s.brand).sort()).toEqual(['小院+', '连心桥']);
  });
});
