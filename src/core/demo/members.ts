// Who is in each online group of the demo town: residents by real name, the grid's staff and the departments that serve it.
import type { Rng } from '../prng.ts';

export interface GroupIn { id: number; gridId: number; communityId: number | null; gridKind: string | null; name: string }
export interface ResidentIn {
  id: number; gridId: number; householdId: number | null; name: string; birthDate: string | null; userId: number | null;
  building: string | null; unit: string | null; room: string | null;
}
export type StaffRole = 'grid_worker' | 'grid_chief' | 'community_staff' | 'department_handler' | 'volunteer' | 'building_head' | 'unit_head';
export interface StaffIn { userId: number; username: string; name: string; role: StaffRole; nodeId: number; departmentId: number | null }
export interface DepartmentIn { id: number; name: string; jointDutyType: string | null }

export interface MemberOut { groupId: number; externalUserId: string; displayName: string; residentId: number | null; userId: number | null; joinedAt: Date }

/** Share of a residential grid's registered households with someone in its neighbourhood group (邻里群). */
export const HOUSEHOLD_SHARE = { min: 0.55, max: 0.85 } as const;

/** Which joint-duty stations and district departments put a liaison into a grid's groups, by the grid's kind. */
const SERVES: Record<string, readonly string[]> = {
  residential: ['police_station', 'health_centre', 'judicial', 'urban'],
  shops: ['police_station', 'market_supervision', 'tax', 'fire', 'urban'],
  institutions: ['police_station', 'fire'],
  schools: ['police_station', 'traffic_police', 'health_centre', 'fire'],
  medical: ['police_station', 'health_centre', 'fire'],
};

/** The departments a grid of this kind is served by; district departments are told apart by name (城管 has no joint-duty type). */
export function servingDepartments(gridKind: string | null, departments: readonly DepartmentIn[]): DepartmentIn[] {
  const wanted = SERVES[gridKind ?? 'residential'] ?? SERVES.residential ?? [];
  return departments.filter((d) => wanted.includes(d.jointDutyType ?? (d.name.includes('城市管理') ? 'urban' : '')));
}

// Of the second groups, how many of the grid's represented households also join (the heads' group takes only heads).
const SECOND_SHARE: readonly (readonly [string, number])[] = [['业主群', 0.7], ['便民服务群', 0.5], ['志愿服务群', 0.15], ['党员群', 0.12], ['楼栋长群', 0], ['工作群', 0]];

// WeChat nicknames of people not linked to a registered resident: tenants, relatives, shop owners (not real-name).
const NICKNAMES = Array.from(new Set(('阳光总在风雨后 知足常乐 岁月静好 开心就好 平安是福 笑对人生 山城小妹 雾都老汉儿 幺妹儿 静待花开 向日葵 一路有你 '
  + '花开富贵 老顽童 荷塘月色 心若止水 淡然 晴天 小鱼儿 胖嘟嘟 猫猫 A水电维修郑师傅 家电维修李师傅 楼下水果店 王姐团购 鲜花店-小陈 '
  + '顺丰快递小刘 跑腿小哥 租户-小何 租户-周 幸福一家人 梦里水乡 简单 随缘 海阔天空 明天会更好 奶茶妹儿 火锅店老板 二娃他妈 嘉陵江边').split(' ')));
const SHOP_NAMES = ['小面', '火锅', '串串香', '豆花饭', '烤鱼', '水果', '药房', '五金', '理发', '超市', '干洗店', '茶馆', '烟酒', '卤菜', '鲜肉', '眼镜店'];
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const DAY_MS = 86_400_000;
const ageOn = (birthDate: string | null, today: Date) => birthDate === null ? 40 : (today.getTime() - Date.parse(`${birthDate}T00:00:00Z`)) / (365.25 * DAY_MS);

/** "3栋", "2单元", "1802" → "3-2-1802": the 楼栋-单元-房号 estates ask members to put before their name. */
export function roomTag(r: Pick<ResidentIn, 'building' | 'unit' | 'room'>): string | null {
  if (!r.building || !r.unit || !r.room) return null;
  return `${r.building.replace(/栋$/, '')}-${r.unit.replace(/单元$/, '')}-${r.room}`;
}

/**
 * Members of every group, deterministic for the rng and inputs: in each grid's first group the adults of a
 * HOUSEHOLD_SHARE of its registered households (every building and unit head among them), a few members who are
 * no registered resident, the grid's worker and chiefs, its community's staff, its volunteers and a liaison of each
 * serving department; second groups take a share of the same households (or only the heads) and the same staff.
 */
export function buildGroupMembers(rng: Rng, input: { groups: readonly GroupIn[]; residents: readonly ResidentIn[]; staff: readonly StaffIn[]; departments: readonly DepartmentIn[] }, today: Date): MemberOut[] {
  const usedIds = new Set<string>();
  const externalId = (): string => {
    for (;;) {
      let tail = '';
      for (let i = 0; i < 18; i++) tail += ID_CHARS.charAt(rng.int(0, ID_CHARS.length - 1));
      // WeCom external contacts: "wm" + the corp's stem + a random tail.
      const id = `wmOgQhDgAA${tail}`;
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };
  const joined = (maxDays: number) => new Date(today.getTime() - rng.int(1, maxDays) * DAY_MS - rng.int(0, DAY_MS - 1));

  const householdsOf = groupBy(input.residents.filter((r) => r.householdId !== null), (r) => r.gridId);
  const heads = new Set(input.staff.filter((s) => s.role === 'building_head' || s.role === 'unit_head').map((s) => s.userId));
  const staffOf = (group: GroupIn): StaffIn[] => {
    const serving = new Set(servingDepartments(group.gridKind, input.departments).map((d) => d.id));
    const picked = input.staff.filter((s) => (
      ((s.role === 'grid_worker' || s.role === 'grid_chief' || s.role === 'volunteer') && s.nodeId === group.gridId)
      || (s.role === 'community_staff' && s.nodeId === group.communityId)
      || (s.role === 'department_handler' && s.departmentId !== null && serving.has(s.departmentId))));
    return [...new Map(picked.map((s) => [s.userId, s])).values()];
  };
  const label: Record<StaffRole, string> = { grid_worker: '网格员', grid_chief: '网格长', community_staff: '社区', department_handler: '', volunteer: '志愿者', building_head: '楼栋长', unit_head: '单元长' };
  const deptName = new Map(input.departments.map((d) => [d.id, d.name]));
  // One chat id per staff account across all groups, as WeCom gives one userid per employee.
  const staffName = (s: StaffIn) => `${s.role === 'department_handler' ? shortDept(deptName.get(s.departmentId ?? -1) ?? '部门') : label[s.role]}-${s.name}`;

  // One external id per person across the groups they are in, as WeCom gives one per external contact.
  const residentIds = new Map<number, string>();
  const out: MemberOut[] = [];
  const firstSeen = new Set<number>();
  const chosenByGrid = new Map<number, ResidentIn[]>();
  for (const group of input.groups) {
    const first = !firstSeen.has(group.gridId);
    firstSeen.add(group.gridId);
    const seen = new Set<string>();
    const add = (m: Omit<MemberOut, 'groupId'>) => {
      if (seen.has(m.externalUserId)) return;
      seen.add(m.externalUserId);
      out.push({ groupId: group.id, ...m });
    };
    // Staff first: the group was set up by the grid worker, who brought the others in.
    for (const s of staffOf(group)) add({ externalUserId: s.username, displayName: staffName(s).slice(0, 50), residentId: null, userId: s.userId, joinedAt: joined(700) });

    const households = groupBy(householdsOf.get(group.gridId) ?? [], (r) => r.householdId ?? 0);
    let chosen: ResidentIn[];
    if (first) {
      const share = rng.range(HOUSEHOLD_SHARE.min, HOUSEHOLD_SHARE.max);
      chosen = [];
      for (const family of households.values()) {
        const adults = family.filter((r) => ageOn(r.birthDate, today) >= 18);
        const headHere = adults.filter((r) => r.userId !== null && heads.has(r.userId));
        if (adults.length === 0 || (headHere.length === 0 && !rng.chance(share))) continue;
        const ordered = [...headHere, ...rng.shuffle(adults.filter((r) => !headHere.includes(r)))];
        chosen.push(...ordered.slice(0, Math.max(headHere.length, rng.chance(0.35) ? 2 : 1)));
      }
      chosenByGrid.set(group.gridId, chosen);
    } else {
      const suffix = SECOND_SHARE.find(([s]) => group.name.endsWith(s));
      const share = suffix?.[1] ?? 0.3;
      const base = chosenByGrid.get(group.gridId) ?? [];
      chosen = suffix?.[0] === '楼栋长群' ? base.filter((r) => r.userId !== null && heads.has(r.userId)) : base.filter(() => rng.chance(share));
    }
    for (const r of chosen) {
      const tag = roomTag(r);
      // Most follow the group rule of 楼栋-单元-房号 + name; some keep their own nickname, still linked by the worker.
      const displayName = tag && rng.chance(0.7) ? `${tag} ${r.name}` : rng.chance(0.5) ? r.name : `${rng.pick(NICKNAMES)}`;
      const id = residentIds.get(r.id) ?? externalId();
      residentIds.set(r.id, id);
      add({ externalUserId: id, displayName, residentId: r.id, userId: r.userId, joinedAt: joined(600) });
    }
    // People nobody has linked to a registered resident: tenants, relatives, the shops and trades around the estate.
    const dedicated = group.gridKind !== null && group.gridKind !== 'residential';
    const strangers = dedicated ? rng.int(6, 16) : first ? Math.max(2, Math.round(chosen.length * rng.range(0.08, 0.2))) : rng.int(0, 2);
    for (let i = 0; i < strangers; i++) {
      const displayName = dedicated ? `${rng.int(1, 60)}号${rng.pick(SHOP_NAMES)}-${rng.pick(['张', '李', '王', '刘', '陈', '杨', '黄', '周'])}老板` : rng.pick(NICKNAMES);
      add({ externalUserId: externalId(), displayName, residentId: null, userId: null, joinedAt: joined(400) });
    }
  }
  return out;
}

/** "灞源派出所" stays; "渭川区城市管理和综合执法局" becomes "城管"; long names keep their last six characters. */
function shortDept(name: string): string {
  if (name.includes('城市管理')) return '城管';
  if (name.includes('卫生服务中心')) return '社区医生';
  if (name.includes('交巡警')) return '交巡警';
  return name.length > 8 ? name.slice(-6) : name;
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
