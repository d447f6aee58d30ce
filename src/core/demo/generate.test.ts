import { describe, expect, it } from 'vitest';
import { DEMO_GRIDS_PER_COMMUNITY, DEMO_SEED, generateDemoTown } from './generate.ts';
import { idBirthDate, idGender, isValidIdNumber } from '../idcard.ts';
import { DEMO_REFERENCE_DATE } from './residents.ts';
import type { DemoGrid } from './spec.ts';

const town = generateDemoTown();
const grids = town.communities.flatMap((c) => c.grids);
const residential = grids.filter((g) => g.kind === 'residential');
const gridByCode = new Map(grids.map((g) => [g.code, g]));
const householdCount = (g: DemoGrid): number =>
  g.buildings.reduce((sum, b) => sum + b.units.reduce((s, u) => s + u.households.length, 0), 0);
const count = <T>(items: T[], key: (item: T) => string): Map<string, number> => {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + 1);
  return out;
};

describe('administrative tree', () => {
  it('has 8 communities with the exact grid counts, 149 grids in all', () => {
    expect(town.communities).toHaveLength(8);
    expect(town.communities.map((c) => c.grids.length)).toEqual([22, 19, 17, 20, 18, 16, 21, 16]);
    expect(DEMO_GRIDS_PER_COMMUNITY).toEqual([22, 19, 17, 20, 18, 16, 21, 16]);
    expect(grids).toHaveLength(149);
    const villages = town.communities.filter((c) => c.kind === 'village');
    expect(villages.length).toBeGreaterThanOrEqual(1);
    expect(villages.length).toBeLessThanOrEqual(2);
    for (const v of villages) expect(v.name.endsWith('村')).toBe(true);
  });

  it('has exactly 7 dedicated grids of the right kinds, the rest residential with an estate', () => {
    const kinds = Object.fromEntries(count(grids.filter((g) => g.kind !== 'residential'), (g) => g.kind));
    expect(kinds).toEqual({ shops: 3, institutions: 1, schools: 2, medical: 1 });
    expect(residential).toHaveLength(142);
    for (const g of residential) {
      expect(g.estateType).not.toBeNull();
      expect(g.estateName).toBeTruthy();
    }
    const types = count(residential, (g) => g.estateType ?? 'none');
    expect(types.size).toBe(4);
    const managed = types.get('property_managed') ?? 0;
    for (const [type, n] of types) if (type !== 'property_managed') expect(managed).toBeGreaterThan(n);
  });

  it('uses well-formed, nested, unique codes', () => {
    expect(town.district.code).toMatch(/^\d{6}$/);
    expect(town.town.code).toMatch(/^\d{12}$/);
    expect(town.town.code.startsWith(town.district.code)).toBe(true);
    expect(town.town.code.endsWith('000')).toBe(true);
    const codes: string[] = [town.district.code, town.town.code];
    for (const c of town.communities) {
      expect(c.code).toMatch(/^\d{12}$/);
      expect(c.code.slice(0, 9)).toBe(town.town.code.slice(0, 9));
      codes.push(c.code);
      for (const g of c.grids) {
        expect(g.code).toMatch(/^\d{15}$/);
        expect(g.code.startsWith(c.code)).toBe(true);
        codes.push(g.code);
        for (const m of g.microgrids) {
          expect(m.code).toMatch(/^\d{18}$/);
          expect(m.code.startsWith(g.code)).toBe(true);
          codes.push(m.code);
        }
      }
    }
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(grids.map((g) => g.name)).size).toBe(grids.length);
  });

  it('gives about ten grids 2–4 micro-grids', () => {
    const parents = grids.filter((g) => g.microgrids.length > 0);
    expect(parents.length).toBeGreaterThanOrEqual(8);
    expect(parents.length).toBeLessThanOrEqual(12);
    for (const g of parents) expect(g.microgrids.length).toBeGreaterThanOrEqual(2);
    for (const g of parents) expect(g.microgrids.length).toBeLessThanOrEqual(4);
  });
});

describe('buildings and households', () => {
  it('keeps residential grids at 150–260 households and dedicated grids at 0–5', () => {
    for (const g of residential) {
      expect(householdCount(g)).toBeGreaterThanOrEqual(150);
      expect(householdCount(g)).toBeLessThanOrEqual(260);
    }
    for (const g of grids.filter((x) => x.kind !== 'residential')) expect(householdCount(g)).toBeLessThanOrEqual(5);
  });

  it('has 1–4 units per building, realistic rooms and household sizes averaging about 2.7', () => {
    const households = grids.flatMap((g) => g.buildings.flatMap((b) => b.units.flatMap((u) => u.households)));
    for (const g of residential) {
      for (const b of g.buildings) {
        expect(b.name).toMatch(/^\d+栋$/);
        expect(b.address).toContain(g.estateName ?? '');
        expect(b.address.startsWith('陕西省西安市')).toBe(true);
        expect(b.units.length).toBeGreaterThanOrEqual(1);
        expect(b.units.length).toBeLessThanOrEqual(4);
        for (const u of b.units) expect(new Set(u.households.map((h) => h.room)).size).toBe(u.households.length);
      }
    }
    expect(households.filter((h) => !/^[1-9]\d?0[1-4]$/.test(h.room))).toEqual([]);
    expect(households.filter((h) => h.population < 1 || h.population > 5)).toEqual([]);
    const mean = households.reduce((s, h) => s + h.population, 0) / households.length;
    expect(mean).toBeGreaterThan(2.5);
    expect(mean).toBeLessThan(2.9);
  });
});

describe('online groups', () => {
  it('has 217 groups, at least one per grid and 68 grids with two', () => {
    expect(grids.reduce((s, g) => s + g.groups.length, 0)).toBe(217);
    for (const g of grids) expect(g.groups.length).toBeGreaterThanOrEqual(1);
    expect(grids.filter((g) => g.groups.length === 2)).toHaveLength(68);
    const ids = grids.flatMap((g) => g.groups.map((x) => x.externalId));
    expect(new Set(ids).size).toBe(ids.length);
    for (const g of grids) for (const group of g.groups) expect(group.name.startsWith(g.name)).toBe(true);
    for (const id of ids) expect(id).toMatch(/^wr[A-Za-z0-9]{20,}$/);
  });
});

describe('boards and departments', () => {
  it('has the four boards with 2–4 posts each', () => {
    expect(town.boards.map((b) => b.name)).toEqual(['党的建设', '经济发展', '民生服务', '平安法治']);
    for (const b of town.boards) {
      expect(b.posts.length).toBeGreaterThanOrEqual(2);
      expect(b.posts.length).toBeLessThanOrEqual(4);
    }
    expect(town.boards.find((b) => b.kind === 'safety_law')?.posts).toContain('交通巡逻岗');
  });

  it('has one joint-duty post of each type in a sensible board, plus district departments', () => {
    const joint = town.departments.filter((d) => d.kind === 'joint_duty');
    const boardOf = Object.fromEntries(joint.map((d) => [d.jointDutyType ?? '', d.board]));
    expect(boardOf).toEqual({
      police_station: 'safety_law', judicial: 'safety_law', traffic_police: 'safety_law', fire: 'safety_law',
      market_supervision: 'economy', tax: 'economy', health_centre: 'livelihood',
    });
    for (const d of joint) expect(d.level).toBe('town');
    const ordinary = town.departments.filter((d) => d.kind === 'department');
    expect(ordinary.length).toBeGreaterThanOrEqual(3);
    for (const d of ordinary) expect([d.level, d.board, d.jointDutyType]).toEqual(['district', null, null]);
  });
});

describe('residents', () => {
  it('registers about 4,000 people, never more than a household holds', () => {
    expect(town.residents.length).toBeGreaterThanOrEqual(3900);
    expect(town.residents.length).toBeLessThanOrEqual(4100);
    for (const [key, n] of count(town.residents, (r) => `${r.gridCode}/${r.building}/${r.unit}/${r.household}`)) {
      const [gridCode = '', b, u, h] = key.split('/');
      const household = gridByCode.get(gridCode)?.buildings[Number(b)]?.units[Number(u)]?.households[Number(h)];
      expect(household).toBeDefined();
      expect(n).toBeLessThanOrEqual(household?.population ?? 0);
    }
  });

  it('has valid ID numbers consistent with district, birth date and gender', () => {
    for (const r of town.residents) {
      expect(isValidIdNumber(r.idNumber)).toBe(true);
      expect(r.idNumber.slice(0, 6)).toBe(town.district.code);
      expect(idBirthDate(r.idNumber)).toBe(r.birthDate);
      expect(idGender(r.idNumber)).toBe(r.gender);
    }
    expect(new Set(town.residents.map((r) => r.idNumber)).size).toBe(town.residents.length);
  });

  it('has Chinese names and ages 1–95 skewed older', () => {
    const [refYear = 0, refMonth = 0, refDay = 0] = DEMO_REFERENCE_DATE.split('-').map(Number);
    const ages = town.residents.map((r) => {
      const [y = 0, m = 0, d = 0] = r.birthDate.split('-').map(Number);
      return refYear - y - (m > refMonth || (m === refMonth && d > refDay) ? 1 : 0);
    });
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...ages)).toBeLessThanOrEqual(95);
    expect(ages.filter((a) => a >= 60).length).toBeGreaterThan(ages.filter((a) => a < 18).length);
    for (const r of town.residents) expect(r.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
    const surnames = count(town.residents, (r) => r.name.charAt(0));
    const top = [...surnames].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([s]) => s);
    expect(top).toEqual(expect.arrayContaining(['王', '李', '张']));
  });
});

describe('determinism', () => {
  it('returns deep-equal output for the same seed and different names for another', () => {
    expect(generateDemoTown(DEMO_SEED)).toEqual(town);
    const other = generateDemoTown(7);
    expect(other.residents.map((r) => r.name)).not.toEqual(town.residents.map((r) => r.name));
    expect(other.people.map((p) => p.name)).not.toEqual(town.people.map((p) => p.name));
    expect(other.communities.map((c) => c.grids.length)).toEqual([...DEMO_GRIDS_PER_COMMUNITY]);
  });

});
