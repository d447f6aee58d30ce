// Physical side of the town: communities, grids, buildings, units, households, online groups and micro-grids.
import { ADDRESS_PREFIX, DEMO_TOWN } from './catalog.ts';
import { estateName, STREETS } from './names.ts';
import { at, type Rng } from '../prng.ts';
import type { DemoBuilding, DemoCommunity, DemoGrid, DemoHousehold, EstateType, GridKind } from './spec.ts';

/** Physical grids per community, in community order (149 in all, like Baqiao). */
export const DEMO_GRIDS_PER_COMMUNITY: readonly number[] = [22, 19, 17, 20, 18, 16, 21, 16];
export const DEMO_GROUP_TOTAL = 217;
export const DEMO_MICROGRID_PARENTS = 10;
/** Household range of a residential grid: one full-time worker serves at most 260. */
export const RESIDENTIAL_HOUSEHOLDS = { min: 150, max: 260 };

const COMMUNITY_SPECS: readonly { name: string; kind: 'community' | 'village' }[] = [
  { name: '灞柳社区', kind: 'community' },
  { name: '东城社区', kind: 'community' },
  { name: '新庄社区', kind: 'community' },
  { name: '锦园社区', kind: 'community' },
  { name: '纺北社区', kind: 'community' },
  { name: '长坡社区', kind: 'community' },
  { name: '田家湾村', kind: 'village' },
  { name: '柳巷村', kind: 'village' },
];

type DedicatedKind = Exclude<GridKind, 'residential'>;

// Dedicated grids sit at the end of their community's sequence; the commercial core gets the shop grids.
const DEDICATED: readonly { community: number; kind: DedicatedKind; venue: string }[] = [
  { community: 0, kind: 'shops', venue: '灞柳商业街' },
  { community: 0, kind: 'institutions', venue: `${DEMO_TOWN.name}机关大院` },
  { community: 1, kind: 'shops', venue: '东城农贸市场' },
  { community: 2, kind: 'schools', venue: `${DEMO_TOWN.short}第一中学` },
  { community: 3, kind: 'shops', venue: '锦园商业广场' },
  { community: 4, kind: 'schools', venue: `${DEMO_TOWN.short}中心小学` },
  { community: 5, kind: 'medical', venue: `${DEMO_TOWN.short}医院` },
];

const DEDICATED_LABEL: Record<DedicatedKind, { grid: string; building: string }> = {
  shops: { grid: '商铺专属网格', building: '号商业楼' },
  institutions: { grid: '机关企事业专属网格', building: '号办公楼' },
  schools: { grid: '教育培训专属网格', building: '号教学楼' },
  medical: { grid: '医疗卫生专属网格', building: '号门诊楼' },
};

const ESTATE_MIX: Record<'community' | 'village', readonly (readonly [EstateType, number])[]> = {
  community: [['property_managed', 50], ['self_governed', 20], ['resettlement', 18], ['transitional', 12]],
  village: [['resettlement', 55], ['self_governed', 30], ['transitional', 15]],
};

// Building shape per estate type: old compounds are walk-ups, managed and resettlement estates high-rises.
const SHAPES: Record<EstateType, { floors: readonly number[]; units: [number, number]; perFloor: [number, number] }> = {
  property_managed: { floors: [6, 11, 18, 18, 26, 33], units: [1, 3], perFloor: [2, 4] },
  self_governed: { floors: [5, 6, 6, 7], units: [2, 4], perFloor: [2, 2] },
  resettlement: { floors: [11, 18, 24, 26, 30], units: [1, 3], perFloor: [2, 4] },
  transitional: { floors: [3, 4, 5, 6], units: [1, 3], perFloor: [2, 3] },
};

// Household sizes 1–5, mean ≈ 2.7 as in the seventh census.
const POPULATION_WEIGHTS: readonly (readonly [number, number])[] = [[1, 17], [2, 30], [3, 25], [4, 19], [5, 9]];

export function seq3(n: number): string {
  return String(n).padStart(3, '0');
}

export function buildCommunities(rng: Rng): DemoCommunity[] {
  const usedEstates = new Set<string>();
  const communities = COMMUNITY_SPECS.map((spec, ci): DemoCommunity => {
    const code = DEMO_TOWN.code.slice(0, 9) + seq3(ci + 1);
    const total = at(DEMO_GRIDS_PER_COMMUNITY, ci);
    const dedicated = DEDICATED.filter((d) => d.community === ci);
    const grids: DemoGrid[] = [];
    const nextCode = (): string => code + seq3(grids.length + 1);
    while (grids.length < total - dedicated.length) {
      const type = rng.weighted(ESTATE_MIX[spec.kind]);
      const estate = estateName(rng, type, usedEstates);
      const street = `${rng.pick(STREETS)}${rng.int(1, 299)}号`;
      const span = Math.min(rng.int(1, 4), total - dedicated.length - grids.length);
      let buildingNo = 1;
      for (let k = 1; k <= span; k++) {
        const buildings = residentialBuildings(rng, type, `${ADDRESS_PREFIX}${street}${estate}`, buildingNo);
        buildingNo += buildings.length;
        grids.push(grid(nextCode(), `${estate}${k}网格`, 'residential', type, estate, buildings));
      }
    }
    for (const d of dedicated) {
      const label = DEDICATED_LABEL[d.kind];
      const address = `${ADDRESS_PREFIX}${rng.pick(STREETS)}${rng.int(1, 299)}号${d.venue}`;
      const buildings = dedicatedBuildings(rng, address, label.building);
      grids.push(grid(nextCode(), `${spec.name}${label.grid}`, d.kind, null, null, buildings));
    }
    return { code, name: spec.name, kind: spec.kind, grids };
  });
  const allGrids = communities.flatMap((c) => c.grids);
  attachGroups(rng, allGrids);
  attachMicrogrids(rng, allGrids);
  return communities;
}

function grid(
  code: string,
  name: string,
  kind: GridKind,
  estateType: EstateType | null,
  estateName: string | null,
  buildings: DemoBuilding[],
): DemoGrid {
  return { code, name, kind, estateType, estateName, buildings, groups: [], microgrids: [] };
}

/** Buildings until the grid reaches its household target; the last one is trimmed to stay under the cap. */
function residentialBuildings(rng: Rng, type: EstateType, estateAddress: string, firstNo: number): DemoBuilding[] {
  const shape = SHAPES[type];
  // Target leaves headroom: trimming to whole floors can overshoot by at most 2 floors × 3 units × 4 rooms.
  const target = rng.int(RESIDENTIAL_HOUSEHOLDS.min, RESIDENTIAL_HOUSEHOLDS.max - 24);
  const buildings: DemoBuilding[] = [];
  let households = 0;
  while (households < target) {
    const unitCount = rng.int(shape.units[0], shape.units[1]);
    const perFloor = rng.int(shape.perFloor[0], shape.perFloor[1]);
    const perFloorAll = unitCount * perFloor;
    let floors = rng.pick(shape.floors);
    if (floors * perFloorAll > target - households) {
      floors = Math.max(2, Math.ceil((target - households) / perFloorAll));
    }
    const name = `${firstNo + buildings.length}栋`;
    const units = Array.from({ length: unitCount }, (_, u) => ({
      name: `${u + 1}单元`,
      households: rooms(floors, perFloor).map((room) => ({ room, population: rng.weighted(POPULATION_WEIGHTS) })),
    }));
    buildings.push({ name, address: estateAddress + name, units });
    households += floors * perFloorAll;
  }
  return buildings;
}

function rooms(floors: number, perFloor: number): string[] {
  const out: string[] = [];
  for (let f = 1; f <= floors; f++) {
    for (let p = 1; p <= perFloor; p++) out.push(`${f}${String(p).padStart(2, '0')}`);
  }
  return out;
}

/** Shop rows, offices, classrooms or wards: 2–4 single-unit buildings with 0–5 resident caretakers. */
function dedicatedBuildings(rng: Rng, venueAddress: string, suffix: string): DemoBuilding[] {
  const buildings: DemoBuilding[] = Array.from({ length: rng.int(2, 4) }, (_, b) => {
    const name = `${b + 1}${suffix}`;
    return { name, address: venueAddress + name, units: [{ name: '1单元', households: [] }] };
  });
  const caretakers = rng.int(0, 5);
  for (let i = 0; i < caretakers; i++) {
    const unit = at(rng.pick(buildings).units, 0);
    const household: DemoHousehold = { room: `1${seq3(unit.households.length + 1).slice(1)}`, population: rng.int(1, 3) };
    unit.households.push(household);
  }
  return buildings;
}

const SECOND_GROUP = ['业主群', '党员群', '楼栋长群', '志愿服务群', '便民服务群'];
const EXTERNAL_ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** One group per grid, a second for a random subset so the town has exactly DEMO_GROUP_TOTAL. */
function attachGroups(rng: Rng, grids: DemoGrid[]): void {
  const doubled = new Set(rng.sample(grids, DEMO_GROUP_TOTAL - grids.length));
  const usedIds = new Set<string>();
  const externalId = (): string => {
    for (;;) {
      // WeCom customer-group chat ids: "wr" + corp-specific stem + random tail.
      let tail = '';
      for (let i = 0; i < 18; i++) tail += EXTERNAL_ID_CHARS.charAt(rng.int(0, EXTERNAL_ID_CHARS.length - 1));
      const id = `wrOgQhDgAA${tail}`;
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };
  for (const g of grids) {
    const first = g.kind === 'residential' ? '邻里群' : '服务群';
    g.groups.push({ platform: 'wecom', externalId: externalId(), name: `${g.name}${first}` });
    if (doubled.has(g)) {
      const second = g.kind === 'residential' ? rng.pick(SECOND_GROUP) : '工作群';
      g.groups.push({ platform: 'wecom', externalId: externalId(), name: `${g.name}${second}` });
    }
  }
}

/** A few residential grids are split further into 2–4 micro-grids. */
function attachMicrogrids(rng: Rng, grids: DemoGrid[]): void {
  const residential = grids.filter((g) => g.kind === 'residential');
  for (const g of rng.sample(residential, DEMO_MICROGRID_PARENTS)) {
    const count = rng.int(2, 4);
    for (let i = 1; i <= count; i++) g.microgrids.push({ code: g.code + seq3(i), name: `${g.name}${i}号微网格` });
  }
}
