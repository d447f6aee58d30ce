import { type FeatureGeometry, placeLabel } from '../../core/geo/features.ts';
import type { MapFeatureKind } from '../../core/vocabulary.ts';

export const presentFeatures = (rows: { id: number; kind: MapFeatureKind; name: string; geometry: FeatureGeometry }[]) => ({
  type: 'FeatureCollection' as const,
  features: rows.map((r) => ({ type: 'Feature' as const, geometry: r.geometry, properties: { id: r.id, kind: r.kind, name: r.name } })),
});

/** A building as a place to choose: named by its estate and building, never by bare coordinates. */
export const presentPlace = (b: { id: number; grid_id: number; name: string; address: string; lng: number; lat: number; grid_name: string; estate_name: string | null; community_name: string | null; distanceM: number | null }) => ({
  id: b.id, name: b.name, label: placeLabel(b.estate_name, b.name), address: b.address, gridId: b.grid_id, gridName: b.grid_name, communityName: b.community_name,
  lng: b.lng, lat: b.lat, distanceM: b.distanceM,
});

