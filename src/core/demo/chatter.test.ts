import { describe, expect, it } from 'vitest';
import { Rng } from '../prng.ts';
import { composeExchange, nextPauseMs, type Place, streetOf, type Voice } from './chatter.ts';
import { buildGroupMembers, roomTag, servingDepartments } from './members.ts';

const voice = (id: string, over: Partial<Voice> = {}): Voice => ({ id, name: id, building: null, unit: null, room: null, staff: false, worker: false, ...over });
const voices = [voice('wm1', { name: '3-2-1802 王秀英', building: '3栋', unit: '2单元', room: '1802' }), voice('wm2', { name: '晴天' }), voice('w01001', { name: '网格员-李红霞', staff: true, worker: true })];
const place: Place = { estate: '天悦家园', community: '灞柳社区', buildings: ['1栋', '2栋', '3栋'], streets: ['灞柳路'] };

describe('the demo chatter', () => {
  it('is the same exchange for the same seed, and another for another', () => {
    const a = composeExchange(new Rng('s/1'), voices, place);
    expect(composeExchange(new Rng('s/1'), voices, place)).toEqual(a);
    const all = Array.from({ length: 30 }, (_, i) => composeExchange(new Rng(`s/${i}`), voices, place).map((l) => l.text).join('|'));
    expect(new Set(all).size).toBeGreaterThan(20);
  });

  it('opens with a resident, answers with the worker, fills in the real places and leaves no slot empty', () => {
    const lines = Array.from({ length: 400 }, (_, i) => composeExchange(new Rng(`p/${i}`), voices, place)).flat();
    const openings = lines.filter((l) => l.kind !== 'reply');
    expect(openings.every((l) => !l.voice.staff)).toBe(true);
    expect(new Set(openings.map((l) => l.kind))).toEqual(new Set(['chatter', 'actionable', 'urgent']));
    expect(lines.some((l) => l.kind === 'reply' && l.voice.worker)).toBe(true);
    expect(lines.every((l) => !/[{}]/.test(l.text) && l.text.length > 0 && l.text.length <= 4000)).toBe(true);
    expect(lines.some((l) => /[123]栋/.test(l.text))).toBe(true);
    expect(lines.some((l) => l.text.includes('灞柳路'))).toBe(true);
    expect(lines.some((l) => l.text.includes('天悦家园'))).toBe(true);
  });

  it('says nothing in a group with nobody in it', () => {
    expect(composeExchange(new Rng('x'), [], place)).toEqual([]);
  });

  it('pauses 20–40 s by day and 2–5 min at night, Beijing time', () => {
    const day = nextPauseMs(new Rng('d'), new Date('2026-12-02T02:00:00Z')); // 10:00 in Beijing
    const night = nextPauseMs(new Rng('n'), new Date('2026-12-02T18:00:00Z')); // 02:00 in Beijing
    expect(day).toBeGreaterThanOrEqual(20_000);
    expect(day).toBeLessThanOrEqual(40_000);
    expect(night).toBeGreaterThanOrEqual(120_000);
    expect(night).toBeLessThanOrEqual(300_000);
  });

  it('reads the street from a postal address, not the district or the street office', () => {
    expect(streetOf('陕西省西安市渭川区灞源街道灞柳路12号天悦家园3栋')).toBe('灞柳路');
    expect(streetOf('陕西省西安市渭川区灞源街道新庄大道7号锦园3栋')).toBe('新庄大道');
    expect(streetOf('重庆市渝北区龙溪街道新南路162号')).toBe('新南路');
    expect(streetOf('天悦家园3栋')).toBeNull();
  });
});

describe('the demo group members', () => {
  const departments = [{ id: 1, name: '灞源派出所', jointDutyType: 'police_station' }, { id: 2, name: '灞源市场监管所', jointDutyType: 'market_supervision' },
    { id: 3, name: '渭川区城市管理和综合执法局', jointDutyType: null }, { id: 4, name: '渭川区水务局', jointDutyType: null }];

  it('names members by building, unit and room', () => {
    expect(roomTag({ building: '3栋', unit: '2单元', room: '1802' })).toBe('3-2-1802');
    expect(roomTag({ building: null, unit: '2单元', room: '1802' })).toBeNull();
  });

  it('puts the police station in every grid and market supervision only in shop grids', () => {
    expect(servingDepartments('residential', departments).map((d) => d.id)).toEqual([1, 3]);
    expect(servingDepartments('shops', departments).map((d) => d.id)).toEqual([1, 2, 3]);
    expect(servingDepartments('schools', departments).map((d) => d.id)).toEqual([1]);
  });

  it('links heads always, a share of the other households, staff by role and scope, each person once per group', () => {
    const residents = Array.from({ length: 40 }, (_, i) => ({
      id: i + 1, gridId: 10, householdId: 100 + Math.floor(i / 2), name: `居民${i}`, birthDate: i % 2 ? '2015-01-01' : '1970-01-01', userId: i === 0 ? 900 : null,
      building: '1栋', unit: '1单元', room: String(101 + Math.floor(i / 2)),
    }));
    const staff = [
      { userId: 1, username: 'w01001', name: '李红霞', role: 'grid_worker' as const, nodeId: 10, departmentId: null },
      { userId: 2, username: 'c01_staff1', name: '张敏', role: 'community_staff' as const, nodeId: 5, departmentId: null },
      { userId: 2, username: 'c01_staff1', name: '张敏', role: 'grid_chief' as const, nodeId: 10, departmentId: null },
      { userId: 3, username: 'w01002', name: '王强', role: 'grid_worker' as const, nodeId: 11, departmentId: null },
      { userId: 4, username: 'dept_police', name: '杨警官', role: 'department_handler' as const, nodeId: 1, departmentId: 1 },
      { userId: 900, username: 'b01001_1', name: '居民0', role: 'building_head' as const, nodeId: 10, departmentId: null },
    ];
    const groups = [{ id: 1, gridId: 10, communityId: 5, gridKind: 'residential', name: '天悦家园1网格邻里群' }, { id: 2, gridId: 10, communityId: 5, gridKind: 'residential', name: '天悦家园1网格楼栋长群' }];
    const members = buildGroupMembers(new Rng('m'), { groups, residents, staff, departments }, new Date('2026-12-01T00:00:00Z'));
    const first = members.filter((m) => m.groupId === 1);
    expect(first.filter((m) => m.userId !== null && m.residentId === null).map((m) => m.externalUserId).sort()).toEqual(['c01_staff1', 'dept_police', 'w01001']);
    const linked = first.filter((m) => m.residentId !== null);
    expect(linked.some((m) => m.residentId === 1 && m.userId === 900)).toBe(true);
    // Only adults (the odd ids here) are in the group; 20 households, 55–85 % of them.
    expect(linked.every((m) => (m.residentId ?? 0) % 2 === 1)).toBe(true);
    expect(linked.length).toBeGreaterThanOrEqual(10);
    expect(linked.length).toBeLessThanOrEqual(18);
    expect(new Set(first.map((m) => m.externalUserId)).size).toBe(first.length);
    // The heads' group has the heads and the staff, and the head keeps one chat id across groups.
    const heads = members.filter((m) => m.groupId === 2 && m.residentId !== null);
    expect(heads.map((m) => m.residentId)).toEqual([1]);
    expect(heads[0]?.externalUserId).toBe(linked.find((m) => m.residentId === 1)?.externalUserId);
    expect(buildGroupMembers(new Rng('m'), { groups, residents, staff, departments }, new Date('2026-12-01T00:00:00Z'))).toEqual(members);
  });
});
