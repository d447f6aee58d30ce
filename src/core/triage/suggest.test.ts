import { describe, expect, it } from 'vitest';
import { CATEGORY_SEED } from '../categories/catalogue.ts';
import { suggestTriage, type TriageCategory } from './suggest.ts';

const suggest = (text: string, hint?: { categoryCode?: string }) => suggestTriage(text, CATEGORY_SEED, hint);

describe('triage of the DOMAIN.md stories', () => {
  it('1: a broken tap stays in the grid as a simple household matter', () => {
    const s = suggest('李大爷在群里说家里没水了，我上门看了一下，是厨房水龙头坏了');
    expect(s.category?.code).toBe('S03002');
    expect(s).toMatchObject({ level: 'grid', scope: 'household', complexity: 'simple', leadBoard: 'livelihood', urgent: false });
  });

  it('2: a free-eggs pitch selling liquor to old people is urgent fraud for the street', () => {
    const s = suggest('小区门口有人搞免费送鸡蛋，拉老人去听讲座，卖什么保健酒，说包治百病');
    expect(s.category?.code).toBe('S04001');
    expect(s).toMatchObject({ level: 'town', leadBoard: 'safety_law', urgent: true });
  });

  it('3: a jammed school gate goes to the safety board, with the parking and jam types as alternatives', () => {
    const s = suggest('实验小学放学的时候校门口堵死了，家长乱停车，车都走不动');
    expect(s.category?.code).toBe('S06001');
    expect(s).toMatchObject({ level: 'town', leadBoard: 'safety_law', complexity: 'complex' });
    expect(s.alternatives.map((a) => a.code)).toEqual(expect.arrayContaining(['09009', '09010']));
  });

  it('4: no bus near an estate is a complex public matter for the livelihood board', () => {
    const s = suggest('幸福家园小区附近没有公交，居民出门坐车不方便，希望开通一条公交线路');
    expect(s.category?.code).toBe('S03003');
    expect(s).toMatchObject({ level: 'town', scope: 'public', complexity: 'complex', leadBoard: 'livelihood' });
  });

  it('5: a broken promise of a gift is a consumer dispute', () => {
    const s = suggest('我在电器店买冰箱，商家承诺送电饭煲作为赠品，到现在都不兑现');
    expect(s.category?.code).toBe('S05001');
    expect(s).toMatchObject({ level: 'town', leadBoard: 'economy', urgent: false });
  });

  it('6: a filthy riverside path on the border of two districts goes to the district', () => {
    const s = suggest('滨河步道有200米在两个区交界，垃圾成堆没人打扫，臭得很，两边都说不归自己管');
    expect(s.category?.code).toBe('S07001');
    expect(s).toMatchObject({ level: 'district', scope: 'public', complexity: 'complex' });
    expect(s.reasons.some((r) => r.includes('两个区'))).toBe(true);
  });

  it('7: a flood-point inspection is urgent work in the grids', () => {
    const s = suggest('洪峰要来了，请各网格排查辖区易涝点积水点，检查下水道排水口是否通畅');
    expect(s.category?.code).toBe('S09001');
    expect(s).toMatchObject({ level: 'grid', urgent: true, leadBoard: 'safety_law' });
  });

  it('11: a loose pool railing is fixed in the grid', () => {
    const s = suggest('小区游泳池边上的栏杆松了，晃得厉害，怕小孩出事');
    expect(s.category?.code).toBe('S08001');
    expect(s).toMatchObject({ level: 'grid', scope: 'shared', complexity: 'simple' });
  });

  it('city-management reports find their national-style codes', () => {
    expect(suggest('楼下垃圾堆好几天没人收了，臭得很').category?.code).toBe('06010');
    expect(suggest('路口违停的车挡路').category?.code).toBe('09009');
    expect(suggest('人行道上井盖没了，晚上很危险').category?.code).toBe('01001');
  });
});

describe('triage rules', () => {
  it('suggests nothing for chatter', () => {
    const s = suggest('今天天气真好');
    expect(s.category).toBeNull();
    expect(s.alternatives).toEqual([]);
    expect(s).toMatchObject({ level: 'grid', leadBoard: null, urgent: false });
  });

  it('ranks both categories when a text names two problems', () => {
    const s = suggest('楼上邻居高空抛物，还把杂物堆在消防通道上');
    const codes = [s.category?.code, ...s.alternatives.map((a) => a.code)];
    expect(codes.slice(0, 2).sort()).toEqual(['S02001', 'S02003']);
    expect(s.category?.score ?? 0).toBeGreaterThanOrEqual(s.alternatives[0]?.score ?? Number.POSITIVE_INFINITY);
  });

  it('raises scope, level and complexity for many households and recurrence', () => {
    const s = suggest('整栋楼都没水了');
    expect(s).toMatchObject({ scope: 'shared', level: 'community', complexity: 'general' });
    const again = suggest('家里水龙头反复坏，修了又坏');
    expect(again).toMatchObject({ category: { code: 'S03002' }, scope: 'household', level: 'grid', complexity: 'general' });
  });

  it('escalates across districts to the district level', () => {
    const s = suggest('这段路跨区，路灯坏了一个月');
    expect(s.category?.code).toBe('01002');
    expect(s).toMatchObject({ level: 'district', complexity: 'complex', scope: 'public' });
  });

  it('marks urgency from the words even when the type is not urgent', () => {
    expect(suggest('3栋楼道里电动车飞线充电').urgent).toBe(false);
    const s = suggest('3栋楼道里电动车飞线充电，已经冒烟了');
    expect(s.category?.code).toBe('S02005');
    expect(s.urgent).toBe(true);
    expect(suggest('我妈走失了，早上出门到现在没回家').urgent).toBe(true);
  });

  it('follows an operator hint and still adjusts by the text', () => {
    const s = suggest('整栋楼的电梯坏了，有人被困', { categoryCode: 'S08002' });
    expect(s.category?.code).toBe('S08002');
    expect(s).toMatchObject({ urgent: true, scope: 'shared', complexity: 'complex' });
    const forced = suggest('今天天气真好', { categoryCode: '06010' });
    expect(forced.category).toEqual({ code: '06010', score: 0 });
    const unknown = suggest('水龙头坏了', { categoryCode: 'X' });
    expect(unknown.category?.code).toBe('S03002');
    expect(unknown.reasons[0]).toContain('X');
  });

  it('is deterministic and ignores the spaces people type between characters', () => {
    const text = '滨河步道垃圾成堆，没人打扫';
    expect(suggest(text)).toEqual(suggest(text));
    expect(suggest('水 龙 头 坏 了').category).toEqual(suggest('水龙头坏了').category);
    expect(suggest('水龙头坏了').category?.score).toBe(9 + 25); // '水龙头' and '水龙头坏了'
  });

  it('works on any structural subset of the dictionary', () => {
    const mini: TriageCategory[] = [
      { code: 'X1', name: '测试', keywords: ['红色的门'], defaultLevel: 'grid', scope: 'household', complexity: 'simple', leadBoard: null, urgent: false },
    ];
    expect(suggestTriage('那扇红色的门坏了', mini).category).toEqual({ code: 'X1', score: 16 });
  });
});
