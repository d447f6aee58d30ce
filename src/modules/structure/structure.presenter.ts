import type { Boundary } from '../../core/geo/geojson.schema.ts';
import type { BoardKind, EstateType, JointDutyType, NodeLevel, Platform } from '../../core/vocabulary.ts';

interface NodeLike {
  id: number; parent_id: number | null; level: NodeLevel; code: string; name: string; kind: string | null;
  estate_type: EstateType | null; estate_name: string | null; status: 'active' | 'retired';
}
interface Figures { households: number; population: number; grids: number; grids_with_group: number }
interface FullFigures extends Figures { buildings: number; residents: number; online_groups: number }

export function presentNode(n: NodeLike & { has_boundary?: boolean; boundary?: Boundary | null }, figures?: Figures) {
  return {
    id: n.id, parentId: n.parent_id, level: n.level, code: n.code, name: n.name, kind: n.kind,
    estateType: n.estate_type, estateName: n.estate_name, status: n.status,
    hasBoundary: n.has_boundary ?? (n.boundary !== undefined && n.boundary !== null),
    ...(figures ? { figures: { households: figures.households, population: figures.population, grids: figures.grids, gridsWithGroup: figures.grids_with_group } } : {}),
  };
}

export const presentFigures = (f: FullFigures) => ({
  households: f.households, population: f.population, buildings: f.buildings, residents: f.residents,
  grids: f.grids, gridsWithGroup: f.grids_with_group, onlineGroups: f.online_groups,
  coverage: f.grids === 0 ? 0 : f.grids_with_group / f.grids,
});

export const presentBuilding = (b: { id: number; grid_id: number; name: string; address: string; lng: number | null; lat: number | null; status: string; units: { id: number; name: string }[] }) => ({
  id: b.id, gridId: b.grid_id, name: b.name, address: b.address, lng: b.lng, lat: b.lat, status: b.status,
  units: b.units.map((u) => ({ id: u.id, name: u.name })),
});

export const presentHousehold = (h: { id: number; grid_id: number; building_id: number | null; unit_id: number | null; room: string; population: number }) => ({
  id: h.id, gridId: h.grid_id, buildingId: h.building_id, unitId: h.unit_id, room: h.room, population: h.population,
});

export const presentGroup = (g: { id: number; grid_id: number; grid_name: string; grid_code: string; platform: Platform; external_id: string; name: string; status: string }) => ({
  id: g.id, gridId: g.grid_id, gridName: g.grid_name, gridCode: g.grid_code, platform: g.platform, externalId: g.external_id, name: g.name, status: g.status,
});

export const presentBoard = (b: { id: number; node_id: number; kind: BoardKind; name: string; posts: { id: number; name: string }[] }) => ({
  id: b.id, nodeId: b.node_id, kind: b.kind, name: b.name, posts: b.posts.map((p) => ({ id: p.id, name: p.name })),
});

export const presentDepartment = (d: { id: number; node_id: number; name: string; kind: 'joint_duty' | 'department'; joint_duty_type: JointDutyType | null; board_id: number | null; status: string }) => ({
  id: d.id, nodeId: d.node_id, name: d.name, kind: d.kind, jointDutyType: d.joint_duty_type, boardId: d.board_id, status: d.status,
});

/** Nodes' boundaries as a GeoJSON FeatureCollection in WGS-84 (for maps). */
export const presentBoundaries = (rows: { id: number; parent_id: number | null; level: NodeLevel; code: string; name: string; boundary: unknown }[]) => ({
  type: 'FeatureCollection' as const,
  features: rows.map((r) => ({
    type: 'Feature' as const,
    // Only nodes with a boundary are listed, and a stored boundary is a validated Polygon or MultiPolygon.
    geometry: r.boundary as { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown },
    properties: { id: r.id, code: r.code, name: r.name, kind: r.level, parentId: r.parent_id },
  })),
});
