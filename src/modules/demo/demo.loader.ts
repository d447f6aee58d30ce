import type { Polygon } from 'geojson';
import { centroid } from '../../core/geo/area.ts';
import { GridLocator } from '../../core/geo/locator.ts';
import { tileTown } from '../../core/geo/tiler.ts';
import { DEMO_GRIDS_PER_COMMUNITY, DEMO_SEED, generateDemoTown } from '../../core/demo/generate.ts';
import { demoMapFeatures } from '../../core/demo/landmarks.ts';
import type { DemoScope, DemoTown } from '../../core/demo/spec.ts';
import { systemContext } from '../../core/scope.ts';
import type { AppDeps } from '../../deps.ts';
import { hashPassword } from '../access/passwords.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { insertMapFeatures } from '../structure/map.repository.ts';
import * as structure from '../structure/structure.repository.ts';
import { loadDemoGroups } from './demo.groups.ts';
import { insertMany } from './demo.repository.ts';

export { isEmpty } from './demo.repository.ts';

/** Every demo account logs in with this password; the README lists one account per role. */
export const DEMO_PASSWORD = 'dualgrid2024';
/** The town's extent, near Xi'an's Baqiao (WGS-84). */
export const TOWN_BBOX: [number, number, number, number] = [109.05, 34.25, 109.15, 34.33];

/**
 * Loads the deterministic demo town in one transaction: the tree with boundaries that tile the town,
 * boards, posts and departments, buildings → units → households, online groups, accounts with their
 * scoped roles, and residents with sealed personal information. Nothing is loaded if any step fails.
 */
export async function loadDemoTown(deps: AppDeps, seed: number = DEMO_SEED) {
  const spec = generateDemoTown(seed);
  const tiles = tileTown({ seed, bbox: TOWN_BBOX, gridsPerCommunity: [...DEMO_GRIDS_PER_COMMUNITY] });
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const { vault } = deps;

  return deps.db.transaction().execute(async (trx) => {
    const codeToNode = new Map<string, { id: number; path: string }>();
    const addNode = async (parent: { id: number; path: string } | null, level: 'district' | 'town' | 'community' | 'grid' | 'microgrid', code: string, name: string,
      extra: { kind?: string; estateType?: string | null; estateName?: string | null; boundary?: Polygon | null } = {}) => {
      const node = await structure.insertNode(trx, {
        parent_id: parent?.id ?? null, level, code, name, kind: extra.kind ?? null,
        estate_type: (extra.estateType ?? null) as never, // the generator only emits the four schema estate types
        estate_name: extra.estateName ?? null, boundary: extra.boundary ? JSON.stringify(extra.boundary) : null,
      }, parent?.path ?? null);
      codeToNode.set(code, node);
      return node;
    };

    const district = await addNode(null, 'district', `${spec.district.code}000000`.slice(0, 12), spec.district.name, { kind: 'district' });
    // The generator names the district by its 6-digit county code; scopes may use either form.
    codeToNode.set(spec.district.code, district);
    const town = await addNode(district, 'town', spec.town.code, spec.town.name, { kind: 'street', boundary: tiles.town });
    const gridPolygons = new Map<string, Polygon>();
    for (const [ci, community] of spec.communities.entries()) {
      const tiled = tiles.communities[ci];
      if (!tiled) throw new Error(`the tiler produced no shape for community ${ci}`);
      const c = await addNode(town, 'community', community.code, community.name, { kind: community.kind, boundary: tiled.boundary });
      for (const [gi, grid] of community.grids.entries()) {
        const polygon = tiled.grids[gi];
        if (!polygon) throw new Error(`the tiler produced no shape for grid ${grid.code}`);
        gridPolygons.set(grid.code, polygon);
        const g = await addNode(c, 'grid', grid.code, grid.name, { kind: grid.kind, estateType: grid.estateType, estateName: grid.estateName, boundary: polygon });
        for (const micro of grid.microgrids) await addNode(g, 'microgrid', micro.code, micro.name, { kind: grid.kind });
      }
    }
    await structure.bumpBoundaryVersion(trx);
    // The town's bearings for maps without tiles: river, park, roads and landmarks (core/demo/landmarks.ts).
    await insertMapFeatures(trx, demoMapFeatures(spec, tiles, TOWN_BBOX).map((f) => ({ ...f, nodeId: town.id })));

    const boardIds = new Map<string, number>();
    const postIds = new Map<string, number>();
    for (const board of spec.boards) {
      const b = await structure.insertBoard(trx, town.id, board.kind, board.name);
      boardIds.set(board.kind, b.id);
      for (const post of board.posts) postIds.set(`${board.kind}/${post}`, (await structure.insertPost(trx, b.id, post)).id);
    }
    const deptIds = new Map<string, number>();
    for (const d of spec.departments) {
      const row = await structure.insertDepartment(trx, {
        nodeId: d.level === 'town' ? town.id : district.id, name: d.name, kind: d.kind, jointDutyType: d.jointDutyType,
        boardId: d.board ? (boardIds.get(d.board) ?? null) : null,
      });
      deptIds.set(d.name, row.id);
    }

    const { buildingIds, unitIds, householdId, counts } = await loadDwellings(trx, spec, codeToNode, gridPolygons);
    const groups = spec.communities.flatMap((c) => c.grids.flatMap((g) => g.groups.map((grp) => ({ grid_id: nodeId(codeToNode, g.code), platform: grp.platform, external_id: grp.externalId, name: grp.name }))));
    await insertMany(trx, 'online_groups', groups);

    // Rows are generated as they are inserted (insertMany takes one chunk at a time), so they never pile up in memory.
    const userIds = await insertMany(trx, 'users', lazily(spec.people, (p) => {
      const phone = vault.seal('phone', p.phone);
      return { username: p.username, display_name: p.name, password_hash: passwordHash, phone_hash: phone.hash, phone_enc: phone.enc, phone_masked: phone.masked };
    }));
    const userByName = new Map(spec.people.map((p, i) => [p.username, userIds[i] as number]));
    const scopeOf = (s: DemoScope) => {
      switch (s.kind) {
        case 'node': return { node_id: nodeId(codeToNode, s.code) };
        case 'department': return { node_id: mustGet(deptNode(spec, s.name, town.id, district.id)), department_id: mustGet(deptIds.get(s.name)) };
        case 'board': return { node_id: town.id, board_id: mustGet(boardIds.get(s.board)) };
        case 'post': return { node_id: town.id, board_id: mustGet(boardIds.get(s.board)), post_id: mustGet(postIds.get(`${s.board}/${s.name}`)) };
        case 'building': return { node_id: nodeId(codeToNode, s.gridCode), building_id: mustGet(buildingIds.get(`${s.gridCode}/${s.building}`)) };
        case 'unit': return { node_id: nodeId(codeToNode, s.gridCode), building_id: mustGet(buildingIds.get(`${s.gridCode}/${s.building}`)), unit_id: mustGet(unitIds.get(`${s.gridCode}/${s.building}/${s.unit}`)) };
      }
    };
    await insertMany(trx, 'role_assignments', spec.people.flatMap((p) => p.roles.map((r) => ({
      user_id: mustGet(userByName.get(p.username)), role: r.role, ab_slot: r.abSlot ?? null, employment: r.employment ?? null, ...scopeOf(r.scope),
    }))));

    await insertMany(trx, 'residents', lazily(spec.residents, (r) => {
      const phone = vault.seal('phone', r.phone);
      const id = vault.seal('id_number', r.idNumber);
      return {
        grid_id: nodeId(codeToNode, r.gridCode), household_id: householdId(r.gridCode, r.building, r.unit, r.household),
        user_id: r.username ? (userByName.get(r.username) ?? null) : null, name: r.name, gender: r.gender, birth_date: r.birthDate,
        phone_hash: phone.hash, phone_enc: phone.enc, phone_masked: phone.masked, id_number_hash: id.hash, id_number_enc: id.enc, id_number_masked: id.masked,
      };
    }), 500);
    await loadDemoGroups(trx, deps.config, seed); // members in every group, the demo's intake source and its message stream
    const figures = { communities: spec.communities.length, grids: gridPolygons.size, ...counts, onlineGroups: groups.length, accounts: spec.people.length, residents: spec.residents.length };
    await appendAudit(trx, systemContext('demo'), { action: 'demo.load', subjectType: 'node', subjectId: town.id, details: { seed, ...figures } });
    return figures;
  });
}

/**
 * Buildings placed inside their grid, their units and households, each table streamed in spec order (the rows are
 * generated chunk by chunk), so the returned ids line up with a running index; returns lookups from spec indexes to ids.
 */
async function loadDwellings(trx: AppDeps['db'], spec: DemoTown, codeToNode: Map<string, { id: number }>, gridPolygons: Map<string, Polygon>) {
  const locator = new GridLocator([...gridPolygons].map(([code, boundary]) => ({ id: nodeId(codeToNode, code), level: 'grid' as const, boundary })));
  const grids = spec.communities.flatMap((c) => c.grids);
  const bIds = await insertMany(trx, 'buildings', (function* () {
    for (const g of grids) {
      const polygon = gridPolygons.get(g.code);
      const gridId = nodeId(codeToNode, g.code);
      for (const [bi, b] of g.buildings.entries()) {
        const [lng, lat] = polygon ? placeInside(polygon, bi, g.buildings.length, locator, gridId) : [null, null];
        yield { grid_id: gridId, name: b.name, address: b.address, lng, lat };
      }
    }
  })());
  const buildingIds = new Map<string, number>();
  let next = 0;
  for (const g of grids) for (let bi = 0; bi < g.buildings.length; bi++) buildingIds.set(`${g.code}/${bi}`, mustGet(bIds[next++]));

  const uIds = await insertMany(trx, 'units', (function* () {
    for (const g of grids) for (const [bi, b] of g.buildings.entries()) for (const u of b.units) yield { building_id: mustGet(buildingIds.get(`${g.code}/${bi}`)), name: u.name };
  })());
  // Per unit: its id and where its households start in the flat household order (1,178 keys rather than 28,082).
  const unitIds = new Map<string, number>();
  const unitHouseholds = new Map<string, { first: number; count: number }>();
  next = 0;
  let households = 0;
  for (const g of grids) for (const [bi, b] of g.buildings.entries()) for (const [ui, u] of b.units.entries()) {
    unitIds.set(`${g.code}/${bi}/${ui}`, mustGet(uIds[next++]));
    unitHouseholds.set(`${g.code}/${bi}/${ui}`, { first: households, count: u.households.length });
    households += u.households.length;
  }

  let population = 0;
  const hIds = await insertMany(trx, 'households', (function* () {
    for (const g of grids) {
      const gridId = nodeId(codeToNode, g.code);
      for (const [bi, b] of g.buildings.entries()) {
        const buildingId = mustGet(buildingIds.get(`${g.code}/${bi}`));
        for (const [ui, u] of b.units.entries()) {
          const unitId = mustGet(unitIds.get(`${g.code}/${bi}/${ui}`));
          for (const h of u.households) {
            population += h.population;
            yield { grid_id: gridId, building_id: buildingId, unit_id: unitId, room: h.room, population: h.population };
          }
        }
      }
    }
  })(), 2000);
  const householdId = (gridCode: string, building: number, unit: number, household: number): number | null => {
    const range = unitHouseholds.get(`${gridCode}/${building}/${unit}`);
    return range && household >= 0 && household < range.count ? (hIds[range.first + household] ?? null) : null;
  };
  return { buildingIds, unitIds, householdId, counts: { buildings: bIds.length, units: uIds.length, households: hIds.length, population } };
}

/** Maps items to rows one at a time, as insertMany pulls them. */
function* lazily<T, R>(items: readonly T[], toRow: (item: T) => R): Generator<R> {
  for (const item of items) yield toRow(item);
}

/** A point between the grid's centroid and one of its corners, checked to fall inside the grid. */
function placeInside(polygon: Polygon, index: number, count: number, locator: GridLocator, gridId: number): [number, number] {
  const [cx, cy] = centroid(polygon);
  const ring = polygon.coordinates[0] ?? [];
  const corner = ring[index % Math.max(1, ring.length - 1)] ?? [cx, cy];
  const t = 0.15 + (0.45 * (index + 1)) / (count + 1);
  const point: [number, number] = [cx + ((corner[0] ?? cx) - cx) * t, cy + ((corner[1] ?? cy) - cy) * t];
  return locator.locate(point[0], point[1]).gridId === gridId ? round(point) : round([cx, cy]);
}

const round = ([lng, lat]: [number, number]): [number, number] => [Math.round(lng * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6];

function nodeId(map: Map<string, { id: number }>, code: string): number {
  const node = map.get(code);
  if (!node) throw new Error(`the demo refers to an unknown node code ${code}`);
  return node.id;
}

function mustGet<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the demo refers to something it did not create');
  return value;
}

function deptNode(spec: DemoTown, name: string, townId: number, districtId: number): number | undefined {
  const d = spec.departments.find((x) => x.name === name);
  return d ? (d.level === 'town' ? townId : districtId) : undefined;
}
