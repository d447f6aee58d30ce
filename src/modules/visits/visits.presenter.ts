import type { VisitRow, visitedHouseholds, visitPhotos } from './visits.repository.ts';

export interface VisitDetails {
  households: Awaited<ReturnType<typeof visitedHouseholds>>;
  photos: Awaited<ReturnType<typeof visitPhotos>>;
}

/** One visit with the households called on and the photos taken, each list in the order it was stored. */
export const presentVisit = (r: VisitRow, { households, photos }: VisitDetails) => ({
  id: r.id, gridId: r.grid_id, at: new Date(r.at).toISOString(), note: r.note, by: { id: r.user_id, name: r.display_name },
  households: households.filter((h) => h.visit_id === r.id).map((h) => ({ id: h.id, room: h.room, buildingId: h.building_id, buildingName: h.building_name ?? null })),
  photos: photos.filter((p) => p.visit_id === r.id).map((p) => p.file_hash),
});

export const presentVisits = (rows: VisitRow[], details: VisitDetails) => rows.map((r) => presentVisit(r, details));
