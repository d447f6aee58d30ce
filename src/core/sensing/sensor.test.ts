import { describe, expect, it } from 'vitest';
import { CATEGORY_SEED } from '../categories/catalogue.ts';
import { createSensor, DEFAULT_DICTIONARY, extractHints, mergeDictionary, normalise, parseNumber } from './index.ts';
import type { SensingDictionary } from './types.ts';

const sensor = createSensor(DEFAULT_DICTIONARY);

describe('normalise', () => {
  it('turns full-width forms half-width, lowers case and drops white space', () => {
    expect(normalise('ＡＢＣ　３号楼 ２单元，ＯＫ？')).toBe('abc3号楼2单元,ok?');
    expect(normalise('  Wi Fi\\t坏了\n')).toBe('wifi\\t坏了');
  });

  it('reads Chinese numerals up to 九十九', () => {
    expect(parseNumber('三')).toBe('3');
    expect(parseNumber('两')).toBe('2');
    expect(parseNumber('十')).toBe('10');
    expect(parseNumber('十二')).toBe('12');
    expect(parseNumber('二十')).toBe('20');
    expect(parseNumber('二十三')).toBe('23');
    expect(parseNumber('07')).toBe('7');
    expect(parseNumber('三四')).toBeNull();
    expect(parseNumber('十十')).toBeNull();
    expect(parseNumber('')).toBeNull();
  });
});

describe('location hints', () => {
  it('finds buildings, units and rooms in digits and Chinese numerals', () => {
    expect(extractHints(normalise('3号楼2单元502室'))).toEqual({ buildings: ['3'], units: ['2'], rooms: ['502'] });
    expect(extractHints(normalise('十二号楼三单元1203'))).toEqual({ buildings: ['12'], units: ['3'], rooms: ['1203'] });
    expect(extractHints(normalise('五栋一单元'))).toEqual({ buildings: ['5'], units: ['1'] });
    expect(extractHints(normalise('８＃楼'))).toEqual({ buildings: ['8'] });
    expect(extractHints(normalise('住3-2-502'))).toEqual({ buildings: ['3'], units: ['2'], rooms: ['502'] });
  });

  it('does not take a floor or a date for a building', () => {
    expect(extractHints(normalise('我住3楼，11月25日停电')).buildings).toBeUndefined();
    expect(extractHints(normalise('3楼2单元')).buildings).toEqual(['3']);
  });

  it('finds named places and dictionary landmarks', () => {
    const s = sensor.sense('我们金色家园小区东门路灯不亮好几天了');
    expect(s.hints.landmarks).toEqual(['东门', '金色家园']);
    expect(sensor.sense('@网格员 锦绣花园3号楼电梯坏了').hints.landmarks).toEqual(['电梯', '锦绣花园']);
  });
});

describe('the sensor', () => {
  it('tells a request from chatter', () => {
    const request = sensor.sense('王姐，我家水龙头坏了没水了，3号楼2单元502，能不能来看看');
    expect(request).toMatchObject({ actionable: true, categoryCode: 'S03002', urgency: 'normal', urgentKind: null });
    expect(request.hints).toMatchObject({ buildings: ['3'], units: ['2'], rooms: ['502'] });
    expect(request.score).toBeGreaterThanOrEqual(0.5);
    for (const text of ['早上好☀️', '谢谢网格员，水龙头修好了', '🌹🌹👍', '[强][强]', '好的收到', '团购周至猕猴桃，5斤装39.9包邮，接龙']) {
      const s = sensor.sense(text);
      expect(s.actionable, text).toBe(false);
      expect(s.categoryCode, text).toBeNull();
    }
  });

  it('recognises every urgent kind, and urgent messages are actionable', () => {
    const cases: Array<[string, string]> = [
      ['小区南门有人免费领鸡蛋，卖神酒给老人', 'fraud'],
      ['3栋着火了！！快打119', 'fire'],
      ['地下车库进水了，车都要泡了', 'flood'],
      ['菜市场门口两伙人打起来了', 'fight'],
      ['我家老人早上出门走失了，大家帮忙留意', 'missing'],
      ['楼道里一股很重的煤气味', 'gas'],
      ['有个老人在楼道摔倒了，头上流血', 'medical'],
    ];
    for (const [text, kind] of cases) {
      const s = sensor.sense(text);
      expect(s, text).toMatchObject({ actionable: true, urgency: 'urgent', urgentKind: kind });
      expect(s.score).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('does not raise an alarm for a warning, a supposition or a happy ending', () => {
    for (const text of ['温馨提示：谨防免费领鸡蛋骗局', '楼道堆满纸箱，万一着火跑不出去', '谢谢大家，走失的老人已经找到了，平安回家了']) {
      expect(sensor.sense(text).urgentKind, text).toBeNull();
    }
  });

  it('is deterministic', () => {
    const text = '二号楼电梯又日塌咧，额妈腿不好上不去楼，撒时候能修好';
    const first = sensor.sense(text);
    for (let i = 0; i < 5; i++) expect(sensor.sense(text)).toEqual(first);
    expect(createSensor(DEFAULT_DICTIONARY).sense(text)).toEqual(first);
  });

  it('honours the threshold', () => {
    const text = '电梯又不动了';
    const s = sensor.sense(text);
    expect(s.actionable).toBe(true);
    expect(createSensor(DEFAULT_DICTIONARY, { threshold: Math.min(1, s.score + 0.01) }).sense(text).actionable).toBe(false);
  });

  it('prints its speed on typical messages', { timeout: 60_000 }, () => {
    const texts = [
      '王姐，我家从早上就没水了，水龙头拧开一滴都不出，3号楼2单元502，你能来看看不',
      '早上好，各位邻居！今天天气不错☀️',
      '新鲜草莓到货，现摘现发，15元一斤，需要的私聊我🍓',
      '小区南门口有一伙人在搞免费领鸡蛋，把老人拉进屋里听讲座，卖什么神酒，说能治高血压，好几个老人都买了',
      '学校门口每天放学堵得死死的，家长车乱停，娃都没法过马路，太危险了',
      '收到',
      '咱门口那路灯咋咧，黑了好几天咧，没人管撒',
      '【通知】因管网改造，明天（周三）上午9点至下午5点，3号楼至8号楼停水，请大家提前储水。',
    ];
    for (const t of texts) sensor.sense(t); // warm up
    const rounds = 2500;
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) for (const t of texts) sensor.sense(t);
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    const n = rounds * texts.length;
    const perSecond = Math.round(n / wall);
    // CPU time is the fairer measure on a busy machine; wall time is what a caller waits.
    console.log(
      `sensing speed: ${Math.round(n / cpuSeconds)} messages per CPU second, ${perSecond} per wall second ` +
        `(${n} messages, average ${Math.round(texts.join('').length / texts.length)} characters)`,
    );
    expect(perSecond).toBeGreaterThan(0);
  });
});

describe('the default dictionary', () => {
  it('gives every seed category a few phrases, and names no unknown code', () => {
    const codes = new Set(CATEGORY_SEED.map((c) => c.code));
    const byCode = new Map(DEFAULT_DICTIONARY.categories.map((c) => [c.code, c.phrases.length]));
    for (const code of codes) expect(byCode.get(code) ?? 0, code).toBeGreaterThanOrEqual(3);
    for (const c of DEFAULT_DICTIONARY.categories) expect(codes.has(c.code), c.code).toBe(true);
    for (const u of DEFAULT_DICTIONARY.urgent) if (u.categoryCode) expect(codes.has(u.categoryCode), u.categoryCode).toBe(true);
    expect(DEFAULT_DICTIONARY.urgent.map((u) => u.kind).sort()).toEqual(['falling', 'fight', 'fire', 'flood', 'fraud', 'gas', 'medical', 'missing', 'trapped']);
  });
});

describe('mergeDictionary', () => {
  it('adds an administrator phrase that changes the result, without changing the base', () => {
    const text = '小区里的充电车棚顶被风掀了';
    expect(sensor.sense(text).categoryCode).not.toBe('S02005');
    const merged = mergeDictionary(DEFAULT_DICTIONARY, [{ kind: 'category', categoryCode: 'S02005', urgentKind: null, phrase: '充电车棚', weight: 2 }]);
    const s = createSensor(merged).sense(text);
    expect(s).toMatchObject({ actionable: true, categoryCode: 'S02005' });
    expect(s.matched).toContain('充电车棚');
    expect(DEFAULT_DICTIONARY.categories.find((c) => c.code === 'S02005')?.phrases).not.toContainEqual({ phrase: '充电车棚', weight: 2 });
  });

  it('lets a negative weight take evidence away', () => {
    const text = '电梯里的广告屏坏了';
    expect(sensor.sense(text).actionable).toBe(true);
    const merged = mergeDictionary(DEFAULT_DICTIONARY, [{ kind: 'category', categoryCode: null, urgentKind: null, phrase: '广告屏', weight: -3 }]);
    expect(createSensor(merged).sense(text).actionable).toBe(false);
  });

  it('handles urgent, chatter, landmark and request rows, and skips rows it cannot use', () => {
    const base: SensingDictionary = { categories: [{ code: 'X1', phrases: ['水坑'] }], urgent: [], chatter: [], landmarks: [] };
    const merged = mergeDictionary(base, [
      { kind: 'urgent', categoryCode: null, urgentKind: 'fire', phrase: '火烧云', weight: 1 },
      { kind: 'urgent', categoryCode: null, urgentKind: 'alien', phrase: '飞碟', weight: 1 },
      { kind: 'chatter', categoryCode: null, urgentKind: null, phrase: '打卡', weight: 3 },
      { kind: 'landmark', categoryCode: null, urgentKind: null, phrase: '老槐树', weight: 1 },
      { kind: 'category', categoryCode: null, urgentKind: null, phrase: '不对劲', weight: 1.5 },
      { kind: 'category', categoryCode: 'X2', urgentKind: null, phrase: '  ', weight: 1 },
    ]);
    expect(merged.urgent).toEqual([{ kind: 'fire', phrases: ['火烧云'] }]);
    expect(merged.categories.map((c) => c.code)).toEqual(['X1']);
    const s = createSensor(merged);
    expect(s.sense('今天的火烧云').urgentKind).toBe('fire');
    expect(s.sense('老槐树下水坑不对劲').hints.landmarks).toEqual(['老槐树']);
    expect(s.sense('老槐树下水坑不对劲')).toMatchObject({ actionable: true, categoryCode: 'X1' });
    expect(s.sense('水坑不对劲，打卡').actionable).toBe(false);
  });
});
