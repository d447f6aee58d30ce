import type { Kysely } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as foundation from './migrations/2026_11_21_0001_foundation.ts';
import * as files from './migrations/2026_11_21_0002_files.ts';
import * as matters from './migrations/2026_11_21_0003_matters.ts';
import * as inspectionUrgency from './migrations/2026_11_21_0004_inspection_urgency.ts';
import * as onlineGrid from './migrations/2026_11_22_0005_online_grid.ts';
import * as outbound from './migrations/2026_11_22_0006_outbound.ts';
import * as matterClientId from './migrations/2026_11_22_0007_matter_client_id.ts';
import * as visits from './migrations/2026_11_22_0008_visits.ts';
import * as phoneCodes from './migrations/2026_11_22_0009_phone_codes.ts';
import * as photoLookups from './migrations/2026_12_01_0010_photo_lookups.ts';
import * as loginAttempts from './migrations/2026_12_02_0011_login_attempts.ts';
import * as publicCodes from './migrations/2026_12_02_0012_public_codes.ts';
import * as places from './migrations/2026_12_02_0013_places.ts';
import * as sensingModels from './migrations/2026_12_02_0014_sensing_models.ts';
import * as deliberation from './migrations/2026_12_02_0015_deliberation.ts';
import * as checkinTries from './migrations/2026_12_03_0016_checkin_tries.ts';
import * as points from './migrations/2026_12_03_0017_points.ts';
import * as merchants from './migrations/2026_12_03_0018_merchants.ts';

/** Migrations are listed here explicitly so they work the same under tsx, bundlers and tests. */
const migrations: Record<string, Migration> = {
  '2026_11_21_0001_foundation': foundation,
  '2026_11_21_0002_files': files,
  '2026_11_21_0003_matters': matters,
  '2026_11_21_0004_inspection_urgency': inspectionUrgency,
  '2026_11_22_0005_online_grid': onlineGrid,
  '2026_11_22_0006_outbound': outbound,
  '2026_11_22_0007_matter_client_id': matterClientId,
  '2026_11_22_0008_visits': visits,
  '2026_11_22_0009_phone_codes': phoneCodes,
  '2026_12_01_0010_photo_lookups': photoLookups,
  '2026_12_02_0011_login_attempts': loginAttempts,
  '2026_12_02_0012_public_codes': publicCodes,
  '2026_12_02_0013_places': places,
  '2026_12_02_0014_sensing_models': sensingModels,
  '2026_12_02_0015_deliberation': deliberation,
  '2026_12_03_0016_checkin_tries': checkinTries,
  '2026_12_03_0017_points': points,
  '2026_12_03_0018_merchants': merchants,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
