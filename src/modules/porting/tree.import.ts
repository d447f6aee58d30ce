import { isDeepStrictEqual } from 'node:util';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { codeProblem } from '../../core/codes.ts';
import { AppError } from '../../core/errors.ts';
import { type Boundary, boundaryFeatureSchema, featureCollectionSchema } from '../../core/geo/geojson.schema.ts';
import type { RequestContext } from '../../core/scope.ts';
import type { DB } from '../../db/schema.ts';
import type { NodeLevel } from '../../core/vocabulary.ts';
import * as structureRepo from '../structure/structure.repository.ts';
import { isGridLevel, type NodePatch, type StructureService } from '../structure/structure.service.ts';
import type { RowErrors } from './import.run.ts';
import * as repo from './porting.repository.ts';
import { type TreeFeatureProperties, treeFeatureProperties } from './porting.schema.ts';

export const MAX_FEATURES = 20_000;
export const FEATURE_CONVENTION = 'Features are numbered from 1 in the order of the file’s "features" array.';
const LEVEL_ORDER: readonly NodeLevel[] = ['district', 'town', 'community', 'grid', 'microgrid'];
export interface TreeRow { row: number; props: TreeFeatureProperties; boundary: Boundary | null }
export interface TreeCounts { created: number; updated: number; unchanged: number }

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const label = (row: number, code?: string) => `feature ${row}${code ? ` (${code})` : ''}`;

/** A zod issue as "field message", without repeating the field when the message already names it. */
function issueText(issue: z.core.$ZodIssue, base = ''): { field: string; message: string } {
  const field = [base, ...issue.path.map(String)].filter(Boolean).join('.');
  const head = field.split('.')[0] ?? '';
  if (!head || issue.message.startsWith(head)) return { field, message: issue.message };
  // "name must be …" reads as one sentence; "geometry: ring 0 is not closed" names where a sentence applies.
  return { field, message: /^(must|is|are|has)\b/.test(issue.message) ? `${head} ${issue.message}` : `${head}: ${issue.message}` };
}

/** The parent a code implies: codes nest, each level owning a fixed number of leading digits. */
export function impliedParentCode(level: NodeLevel, code: string): string | null {
  switch (level) {
    case 'district': return null;
    case 'town': return `${code.slice(0, 6)}000000`;
    case 'community': return `${code.slice(0, 9)}000`;
    case 'grid': return code.slice(0, 12);
    case 'microgrid': return code.slice(0, 15);
  }
}

/**
 * Step 1, no database: checks the file's shape, each feature's GeoJSON and properties, and duplicate
 * codes. A file that is not a FeatureCollection at all stops here; feature problems are collected.
 * Returns the valid rows, parents first, and whether any problem was with the GeoJSON itself.
 */
export function readFeatures(input: unknown, errors: RowErrors): { rows: TreeRow[]; failed: Map<string, number>; geojsonBroken: boolean } {
  const fileError = (field: string, message: string) => new AppError('INVALID_GEOJSON', `The file is not a GeoJSON FeatureCollection: ${message}.`, { errors: [{ field, message }] });
  if (!isRecord(input)) throw fileError('type', 'it must be a JSON object with "type": "FeatureCollection"');
  const type = featureCollectionSchema.shape.type.safeParse(input.type);
  if (!type.success) throw fileError('type', `the top-level object must have "type": "FeatureCollection", not ${JSON.stringify(input.type ?? null)}`);
  if (!Array.isArray(input.features)) throw fileError('features', '"features" must be an array of features');
  // Array.isArray narrows to any[]; name the elements unknown so every one is checked before use.
  const features: unknown[] = input.features;
  if (features.length > MAX_FEATURES) {
    throw new AppError('PAYLOAD_TOO_LARGE', `The file has ${features.length} features; at most ${MAX_FEATURES} may be imported at once. Split it, e.g. one file per town.`);
  }

  let geojsonBroken = false;
  const rows: TreeRow[] = [];
  const seen = new Map<string, number>();
  const failed = new Map<string, number>();
  for (const [i, feature] of features.entries()) {
    const row = i + 1;
    const rawProps = isRecord(feature) && isRecord(feature.properties) ? feature.properties : {};
    const code = typeof rawProps.code === 'string' ? rawProps.code.trim() : undefined;
    const fail = (field: string, message: string, geojson = false) => {
      geojsonBroken ||= geojson;
      errors.add({ row, ...(field ? { field } : {}), message: `${label(row, code)}: ${message}` });
      if (code && !failed.has(code)) failed.set(code, row);
    };
    if (!isRecord(feature)) {
      fail('', 'each feature must be a JSON object with "type": "Feature"', true);
      continue;
    }
    if (!('geometry' in feature)) fail('geometry', 'a feature must have a "geometry": a Polygon, a MultiPolygon or null', true);
    const geo = boundaryFeatureSchema.safeParse('geometry' in feature ? feature : { ...feature, geometry: null });
    if (!geo.success) {
      for (const issue of geo.error.issues) {
        const { field, message } = issueText(issue);
        fail(field, field === 'properties' ? 'properties must be an object' : message, field !== 'properties');
      }
    }
    const props = treeFeatureProperties.safeParse(isRecord(feature.properties) ? feature.properties : {});
    if (!props.success) {
      for (const issue of props.error.issues) {
        const { field, message } = issueText(issue);
        fail(field, message);
      }
    }
    if (!props.success || !geo.success) continue;
    const problem = codeAndParentProblem(props.data, seen);
    if (problem) {
      fail(problem.field, problem.message);
      continue;
    }
    seen.set(props.data.code, row);
    rows.push({ row, props: props.data, boundary: geo.data.geometry });
  }
  rows.sort((a, b) => LEVEL_ORDER.indexOf(a.props.level) - LEVEL_ORDER.indexOf(b.props.level) || a.row - b.row);
  return { rows, failed, geojsonBroken };
}

function codeAndParentProblem(p: TreeFeatureProperties, seen: Map<string, number>): { field: string; message: string } | null {
  const problem = codeProblem(p.level, p.code, null);
  if (problem) return { field: 'code', message: `code ${p.code}: ${problem}` };
  if (p.level === 'district' && p.parentCode) return { field: 'parentCode', message: 'a district sits at the top of the tree and has no parentCode' };
  const first = seen.get(p.code);
  if (first !== undefined) return { field: 'code', message: `code ${p.code} appears more than once in the file (first in feature ${first})` };
  return null;
}

/**
 * Step 2, inside the import's transaction: creates new codes through the structure service and
 * updates existing ones with the same checks as its updateNode. Problems become row errors.
 */
export async function applyFeatures(
  trx: Kysely<DB>, ctx: RequestContext, structure: StructureService, file: { rows: TreeRow[]; failed: Map<string, number> }, errors: RowErrors,
): Promise<TreeCounts> {
  const counts: TreeCounts = { created: 0, updated: 0, unchanged: 0 };
  // New codes that could not be created, so their children can say why their parent is missing.
  const failed = new Map(file.failed);
  for (const { row, props, boundary } of file.rows) {
    const where = { row };
    const prefix = label(row, props.code);
    const reject = (field: string, message: string) => errors.add({ row, field, message: `${prefix}: ${message}` });
    const parentCode = props.parentCode ?? impliedParentCode(props.level, props.code);
    const node = await repo.getNodeWithParentCode(trx, props.code);
    if (node) {
      if (node.level !== props.level) { reject('level', `code ${props.code} is a ${node.level} in the tree, not a ${props.level}`); continue; }
      if (props.parentCode && props.parentCode !== node.parent_code) {
        reject('parentCode', `the node sits under ${node.parent_code} in the tree, not ${props.parentCode}; the import does not move nodes (use Move in the tree editor)`);
        continue;
      }
      if (props.status && props.status !== node.status) {
        reject('status', `the node is ${node.status} in the tree; the import neither retires nor reactivates nodes`);
        continue;
      }
      const patch = changes(node, props, boundary);
      if (Object.keys(patch).length === 0) { counts.unchanged++; continue; }
      // The service applies the same policy, retired and kind checks as the API; a refusal becomes this row's error.
      const ok = await errors.attempt(where, prefix, async () => {
        await structure.updateNodeIn(trx, ctx, node.id, patch, 'import');
        return true;
      });
      if (ok) counts.updated++;
      continue;
    }
    const missing = (field: string, message: string) => {
      reject(field, message);
      failed.set(props.code, row);
    };
    if (props.status === 'retired') { missing('status', 'a new node cannot be imported as retired'); continue; }
    let parentId: number | null = null;
    if (parentCode !== null) {
      const parent = await structureRepo.getNodeByCode(trx, parentCode);
      const parentRow = failed.get(parentCode);
      if (!parent && parentRow !== undefined) { missing('parentCode', `its parent ${parentCode} could not be imported (see feature ${parentRow})`); continue; }
      if (!parent) { missing('parentCode', `parent code ${parentCode} does not exist in the tree or in this file`); continue; }
      parentId = parent.id;
    }
    const created = await errors.attempt(where, prefix, () => structure.createNodeIn(trx, ctx, {
      parentId, level: props.level, code: props.code, name: props.name, kind: props.kind ?? null,
      estateType: props.estateType ?? null, estateName: props.estateName ?? null, boundary,
    }));
    if (created) counts.created++;
    else failed.set(props.code, row);
  }
  return counts;
}

type ExistingNode = NonNullable<Awaited<ReturnType<typeof repo.getNodeWithParentCode>>>;

/**
 * What the file changes on an existing node. Absent properties and a null geometry keep what is stored,
 * so a file of names alone cannot wipe boundaries drawn by hand.
 */
function changes(node: ExistingNode, props: TreeFeatureProperties, boundary: Boundary | null): NodePatch {
  const patch: NodePatch = {};
  if (props.name !== node.name) patch.name = props.name;
  if (props.kind != null && props.kind !== node.kind) patch.kind = props.kind;
  if (isGridLevel(node.level)) {
    if (props.estateType !== undefined && props.estateType !== node.estate_type) patch.estateType = props.estateType;
    if (props.estateName !== undefined && props.estateName !== node.estate_name) patch.estateName = props.estateName;
  }
  if (boundary !== null && !isDeepStrictEqual(boundary, node.boundary)) patch.boundary = boundary;
  return patch;
}
