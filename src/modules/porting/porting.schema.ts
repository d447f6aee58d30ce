import { z } from 'zod';
import { idParam } from '../../core/fields.ts';
import { boundarySchema } from '../../core/geo/geojson.schema.ts';
import { createNodeBody, levelSchema } from '../structure/structure.schema.ts';

/** `?dryRun=true` runs every check and every write, then rolls back and reports what would have happened. */
export const importQuery = z.object({
  dryRun: z.enum(['true', 'false']).default('false').describe('check everything and report the counts, but write nothing'),
});
export const exportQuery = z.object({ nodeId: idParam.describe('the node whose subtree is exported') });

const required = (what: string, example: string) => (iss: { input: unknown }) =>
  iss.input === undefined ? `${what} is required` : `${what} must be text such as ${example}`;

/**
 * The properties of one tree feature, as exported and imported. Codes must be strings: GIS tools that
 * turn them into numbers silently drop digits of 18-digit micro-grid codes.
 */
export const treeFeatureProperties = z.object({
  code: z.string({ error: required('code', '"500105004001001"') }).trim().regex(/^\d+$/, 'code must contain digits only'),
  name: z.string({ error: required('name', '"花园1网格"') }).pipe(createNodeBody.shape.name),
  level: z.enum(levelSchema.options, { error: 'level must be one of district, town, community, grid, microgrid' }),
  parentCode: z.string({ error: 'parentCode must be text of digits, or left out to infer it from the code' }).trim().regex(/^\d+$/, 'parentCode must contain digits only').nullable().optional(),
  kind: createNodeBody.shape.kind,
  estateType: createNodeBody.shape.estateType,
  estateName: createNodeBody.shape.estateName,
  status: z.enum(['active', 'retired'], { error: 'status must be active or retired' }).optional(),
});
export type TreeFeatureProperties = z.infer<typeof treeFeatureProperties>;

export const treeImportBody = z.unknown().describe(
  'A GeoJSON FeatureCollection. Each feature: properties { code, name, level, parentCode?, kind?, estateType?, estateName?, status? }, '
  + 'geometry a Polygon, MultiPolygon or null (null keeps an existing boundary). Features may come in any order.',
);
export const treeImportResult = z.object({
  created: z.number(),
  updated: z.number(),
  unchanged: z.number().describe('features whose node already matches the file exactly'),
  dryRun: z.boolean(),
});

const exportedProperties = z.object({
  code: z.string(), name: z.string(), level: levelSchema, parentCode: z.string().nullable(), kind: z.string().nullable(),
  estateType: z.string().nullable(), estateName: z.string().nullable(), status: z.enum(['active', 'retired']),
});
export const treeExport = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.object({ type: z.literal('Feature'), properties: exportedProperties, geometry: boundarySchema.nullable() })),
});
export type TreeExport = z.infer<typeof treeExport>;

export const peopleImportResult = z.object({
  residents: z.number(), staff: z.number(), households: z.number(), buildings: z.number(), dryRun: z.boolean(),
});
