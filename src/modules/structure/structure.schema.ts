import { z } from 'zod';
import { idField, idParam } from '../../core/fields.ts';
import { boundarySchema } from '../../core/geo/geojson.schema.ts';
import { BOARD_KINDS, ESTATE_TYPES, GRID_KINDS, JOINT_DUTY_TYPES, NODE_LEVELS, PLATFORMS } from '../../core/vocabulary.ts';

export const levelSchema = z.enum(NODE_LEVELS);
export const gridKindSchema = z.enum(GRID_KINDS);
export const estateTypeSchema = z.enum(ESTATE_TYPES);
export const boardKindSchema = z.enum(BOARD_KINDS);
export const jointDutyTypeSchema = z.enum(JOINT_DUTY_TYPES);
export const platformSchema = z.enum(PLATFORMS);

const name = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
export const idParams = z.object({ id: idParam });
const optionalId = idParam.optional();
const limit = z.coerce.number().int().min(1).max(500).default(100);
const cursor = z.string().max(200).optional();

export const nodeSchema = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  level: levelSchema,
  code: z.string(),
  name: z.string(),
  kind: z.string().nullable(),
  estateType: estateTypeSchema.nullable(),
  estateName: z.string().nullable(),
  status: z.enum(['active', 'retired']),
  hasBoundary: z.boolean(),
  figures: z.object({ households: z.number(), population: z.number(), grids: z.number(), gridsWithGroup: z.number() }).optional(),
});

export const figuresSchema = z.object({
  households: z.number(), population: z.number(), buildings: z.number(), residents: z.number(),
  grids: z.number(), gridsWithGroup: z.number(), onlineGroups: z.number(),
  coverage: z.number().describe('share of active physical grids with at least one active online grid, 0..1'),
});

export const nodeDetailSchema = nodeSchema.extend({
  boundary: boundarySchema.nullable(),
  ancestors: z.array(z.object({ id: z.number(), level: levelSchema, code: z.string(), name: z.string() })),
  figures: figuresSchema,
});

export const nodeListQuery = z.object({
  parentId: optionalId,
  root: z.enum(['true', 'false']).optional().describe('only top-level nodes (districts)'),
  level: levelSchema.optional(),
  status: z.enum(['active', 'retired']).optional(),
  under: optionalId.describe('only nodes in the subtree of this node'),
  q: z.string().trim().max(50).optional(),
  withFigures: z.enum(['true', 'false']).optional(),
  limit,
  cursor,
});

export const createNodeBody = z.object({
  parentId: idField.nullable(),
  level: levelSchema,
  code: z.string().regex(/^\d+$/, 'must be digits only').max(18),
  name,
  kind: z.string().max(20).nullable().optional(),
  estateType: estateTypeSchema.nullable().optional(),
  estateName: z.string().trim().max(100).nullable().optional(),
  boundary: boundarySchema.nullable().optional(),
});

export const updateNodeBody = z
  .object({
    name: name.optional(),
    kind: z.string().max(20).nullable().optional(),
    estateType: estateTypeSchema.nullable().optional(),
    estateName: z.string().trim().max(100).nullable().optional(),
    boundary: boundarySchema.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

export const moveNodeBody = z.object({ parentId: idField });
export const retireNodeBody = z.object({ cascade: z.boolean().default(false) });
export const locateQuery = z.object({
  lng: z.coerce.number().min(-180).max(180),
  lat: z.coerce.number().min(-90).max(90),
  crs: z.enum(['wgs84', 'gcj02']).default('wgs84'),
});
const nodeRef = z.object({ id: z.number(), code: z.string(), name: z.string() });
export const locateResult = z.object({ grid: nodeRef.nullable(), microgrid: nodeRef.nullable(), community: nodeRef.nullable() });

export const buildingSchema = z.object({ id: z.number(), gridId: z.number(), name: z.string(), address: z.string(), lng: z.number().nullable(), lat: z.number().nullable(), status: z.string(),
  units: z.array(z.object({ id: z.number(), name: z.string() })) });
export const createBuildingBody = z.object({
  gridId: idField, name, address: z.string().trim().max(200).default(''),
  lng: z.number().min(-180).max(180).nullable().default(null), lat: z.number().min(-90).max(90).nullable().default(null),
  units: z.array(name).max(50).default([]),
});
export const householdSchema = z.object({ id: z.number(), gridId: z.number(), buildingId: z.number().nullable(), unitId: z.number().nullable(), room: z.string(), population: z.number() });
export const createHouseholdBody = z.object({
  gridId: idField, buildingId: idField.nullable().default(null), unitId: idField.nullable().default(null),
  room: z.string().trim().max(20).default(''), population: z.number().int().min(0).max(50).default(0),
});
export const householdQuery = z.object({ gridId: idParam, buildingId: optionalId, limit, cursor });
export const gridQuery = z.object({ gridId: idParam });

export const groupSchema = z.object({ id: z.number(), gridId: z.number(), gridName: z.string(), gridCode: z.string(), platform: platformSchema, externalId: z.string(), name: z.string(), status: z.string() });
export const createGroupBody = z.object({ gridId: idField, platform: platformSchema, externalId: z.string().trim().min(1).max(128), name });
export const updateGroupBody = z.object({ gridId: idField.optional(), name: name.optional(), status: z.enum(['active', 'retired']).optional() })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
export const groupQuery = z.object({ gridId: optionalId, limit, cursor });

export const boardSchema = z.object({ id: z.number(), nodeId: z.number(), kind: boardKindSchema, name: z.string(), posts: z.array(z.object({ id: z.number(), name: z.string() })) });
export const createBoardBody = z.object({ nodeId: idField, kind: boardKindSchema, name });
export const createPostBody = z.object({ name });
export const departmentSchema = z.object({ id: z.number(), nodeId: z.number(), name: z.string(), kind: z.enum(['joint_duty', 'department']), jointDutyType: jointDutyTypeSchema.nullable(), boardId: z.number().nullable(), status: z.string() });
export const createDepartmentBody = z.object({
  nodeId: idField, name, kind: z.enum(['joint_duty', 'department']),
  jointDutyType: jointDutyTypeSchema.nullable().default(null), boardId: idField.nullable().default(null),
}).refine((b) => (b.kind === 'joint_duty') === (b.jointDutyType !== null), { message: 'a joint-duty post needs a jointDutyType, and only a joint-duty post may have one', path: ['jointDutyType'] });
export const organisationQuery = z.object({ nodeId: idParam });

export const boundariesQuery = z.object({
  kind: z.enum(['town', 'community', 'grid']).default('grid'),
  under: optionalId.describe('only nodes in the subtree of this node'),
});
export const boundariesResult = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.object({
    type: z.literal('Feature'),
    geometry: z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.unknown() }),
    properties: z.object({ id: z.number(), code: z.string(), name: z.string(), kind: z.string(), parentId: z.number().nullable() }),
  })),
});
