import { z } from 'zod';
import { idField, idParam } from '../../core/fields.ts';
import { BOARD_KINDS, CHANNELS, COMPLEXITIES, MATTER_LEVELS, MATTER_SCOPES, MATTER_SOURCES, SATISFACTIONS } from '../../core/vocabulary.ts';

export const sourceSchema = z.enum(MATTER_SOURCES);
export const channelSchema = z.enum(CHANNELS).default('web');
const hash = z.string().regex(/^[0-9a-f]{64}$/, 'must be a photo hash returned by POST /api/files');
const photos = z.array(hash).max(9, 'at most 9 photos').default([]);
const note = z.string().trim().max(2000);
const reason = z.string().trim().min(2, 'give a reason').max(500);
export const idParams = z.object({ id: idParam });

export const reportBody = z.object({
  source: sourceSchema,
  channel: channelSchema,
  title: z.string().trim().min(2).max(60).optional(),
  description: z.string().trim().min(2, 'describe the matter').max(2000),
  categoryCode: z.string().max(20).optional(),
  location: z.union([
    z.object({ lng: z.number().min(-180).max(180), lat: z.number().min(-90).max(90), crs: z.enum(['wgs84', 'gcj02']).default('wgs84') }),
    z.object({ buildingId: idField }),
    z.object({ nodeId: idField }),
  ]),
  address: z.string().trim().max(200).optional(),
  photos,
  reporter: z.object({
    residentId: idField.optional(),
    anonymous: z.boolean().default(false),
    contactName: z.string().trim().max(50).optional(),
    contactPhone: z.string().trim().regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mobile number').optional(),
  }).default({ anonymous: false }),
  urgent: z.boolean().optional(),
  followsMatterId: idField.optional(),
  clientId: z.uuid().optional().describe('idempotency key: a re-sent report with the same clientId by the same user answers 200 with the matter it made'),
});

export const registerBody = z.object({
  categoryCode: z.string().max(20),
  complexity: z.enum(COMPLEXITIES).optional(),
  scope: z.enum(MATTER_SCOPES).optional(),
  level: z.enum(MATTER_LEVELS).optional(),
  leadBoardId: idField.nullable().optional(),
  urgent: z.boolean().optional(),
  note: note.optional(),
  title: z.string().trim().min(2, 'write at least 2 characters').max(60, 'at most 60 characters').optional()
    .describe('the title as the operator writes or confirms it (公开标题): the public page shows it (personal data masked); without one it shows the category'),
});

const target = z.object({ kind: z.enum(['post', 'department', 'board', 'node']), id: idField });
export const dispatchBody = z.object({
  lead: target,
  assists: z.array(target).max(20).default([]),
  dueAt: z.iso.datetime({ offset: true }).optional().describe('override the due time computed from the category'),
  note: note.optional(),
});
export const reassignBody = dispatchBody;
export const summonBody = z.object({ departments: z.array(target).min(1).max(20), note: note.optional() });
export const escalateBody = z.object({ toNodeId: idField.optional().describe('another town or district; omitted = one level up'), reason });
export const reasonBody = z.object({ reason });
export const noteBody = z.object({ note: note.min(1, 'write what was done'), photos });
export const optionalNoteBody = z.object({ note: note.optional(), photos });
export const verifyBody = z.object({ passed: z.boolean(), note: note.optional() });
export const rateBody = z.object({ satisfaction: z.enum(SATISFACTIONS), comment: z.string().trim().max(500).optional() });
export const visitBody = z.object({ outcome: z.string().trim().min(2).max(1000), satisfied: z.boolean().optional() });
export const mergeBody = z.object({ intoMatterId: idField, note: note.optional() });
export const suspendBody = z.object({ reason });
export const extendBody = z.object({ reason, extendTo: z.iso.datetime({ offset: true }) });
export const decideBody = z.object({ approve: z.boolean(), note: note.optional() });
export const requestParams = z.object({ id: idParam, requestId: idParam });

export const listQuery = z.object({
  status: z.string().max(200).optional().describe('comma-separated statuses'),
  source: sourceSchema.optional(),
  categoryId: idParam.optional(),
  under: idParam.optional(),
  mine: z.enum(['assigned']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  q: z.string().trim().max(50).optional(),
  order: z.enum(['due', 'recent']).default('due'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

const isoOrNull = z.string().nullable();
export const matterSchema = z.object({
  id: z.number(), code: z.string(), publicCode: z.string().describe('the code of the public page /r/m/<publicCode>, to give to the resident'), title: z.string(), description: z.string(), source: sourceSchema, channel: z.string(), status: z.string(),
  stage: z.number().describe('0..5: 上报 立案 派遣 处置 反馈 结案'), categoryId: z.number().nullable(), gridId: z.number().nullable(), areaNodeId: z.number(), ownerNodeId: z.number(),
  lng: z.number().nullable(), lat: z.number().nullable(), buildingId: z.number().nullable(), address: z.string(), level: z.string(), complexity: z.string().nullable(), scope: z.string().nullable(),
  leadBoardId: z.number().nullable(), urgent: z.boolean(), dueAt: isoOrNull, overdue: z.boolean(), reportedAt: isoOrNull, registeredAt: isoOrNull, dispatchedAt: isoOrNull,
  handledAt: isoOrNull, closedAt: isoOrNull, closedOnTime: z.boolean().nullable(), satisfaction: z.string().nullable(), ratedAt: isoOrNull,
  counts: z.object({ reopened: z.number(), verifyFailed: z.number(), suspended: z.number(), extended: z.number(), escalated: z.number() }),
  reporter: z.object({ anonymous: z.boolean(), residentId: z.number().nullable(), userId: z.number().nullable(), contactName: z.string().nullable(), contactPhone: z.string().nullable() }),
  possibleDuplicateOf: z.number().nullable(), mergedIntoId: z.number().nullable(), followsId: z.number().nullable(),
});
export const assignmentSchema = z.object({
  id: z.number(), role: z.enum(['lead', 'assist']), targetKind: z.string(), targetId: z.number(), targetName: z.string(), status: z.string(), summoned: z.boolean(),
  dueAt: isoOrNull, acceptedAt: isoOrNull, doneAt: isoOrNull, returnReason: z.string().nullable(),
});
export const eventSchema = z.object({
  id: z.number(), at: z.string(), actorUserId: z.number().nullable(), actorName: z.string().nullable(), actorRole: z.string().nullable(), channel: z.string(), action: z.string(),
  statusBefore: z.string().nullable(), statusAfter: z.string().nullable(), note: z.string().nullable(), details: z.record(z.string(), z.unknown()),
});
export const detailSchema = matterSchema.extend({
  category: z.object({ code: z.string(), name: z.string(), catalogue: z.string() }).nullable(),
  assignments: z.array(assignmentSchema),
  timeline: z.array(eventSchema),
  photos: z.array(z.object({ hash: z.string(), stage: z.string(), eventId: z.number().nullable() })),
  requests: z.array(z.object({ id: z.number(), kind: z.string(), reason: z.string(), status: z.string(), extendTo: isoOrNull })),
  place: z.object({
    label: z.string().describe('estate and building (锦绣花园3栋), else the grid: what a person looks for on the spot'),
    buildingId: z.number().nullable(), buildingName: z.string().nullable(), buildingAddress: z.string().nullable(),
    gridId: z.number(), gridName: z.string(), communityName: z.string().nullable(),
    lng: z.number().nullable().describe('WGS-84: the matter\'s own point, else its building\'s'), lat: z.number().nullable(),
  }).nullable().describe('where it is, by name: building, grid and community (null when the matter has neither grid nor building)'),
});
export const listItemSchema = z.object({
  id: z.number(), code: z.string(), publicCode: z.string(), title: z.string(), source: z.string(), status: z.string(), stage: z.number(), level: z.string(), urgent: z.boolean(),
  dueAt: isoOrNull, overdue: z.boolean(), reportedAt: isoOrNull, closedAt: isoOrNull, categoryId: z.number().nullable(), categoryName: z.string().nullable(),
  areaNodeId: z.number(), areaName: z.string().nullable(), ownerNodeId: z.number(), satisfaction: z.string().nullable(), possibleDuplicateOf: z.number().nullable(),
});
export const publicSchema = z.object({
  code: z.string().describe('the public code (never the internal one)'), title: z.string().describe('the title staff wrote, else the category, else 群众反映事项'),
  category: z.string().nullable(), status: z.string(),
  stages: z.array(z.object({ name: z.string(), reached: z.boolean(), at: isoOrNull })),
  result: z.string().nullable().describe('the handler\'s result once verified, personal data masked'), satisfaction: z.string().nullable(),
});

const scoredCode = z.object({ code: z.string(), score: z.number() });
/** The triage suggestion (研判建议) for the operator: the likeliest category with alternatives, and why. */
export const suggestionSchema = z.object({
  category: scoredCode.nullable(), alternatives: z.array(scoredCode), complexity: z.enum(COMPLEXITIES), scope: z.enum(MATTER_SCOPES),
  level: z.enum(MATTER_LEVELS), leadBoard: z.enum(BOARD_KINDS).nullable(), urgent: z.boolean(), reasons: z.array(z.string()).describe('why, in Chinese'),
});

const reporterSource = z.enum(['contact', 'resident', 'account', 'anonymous', 'none']).describe('where the name and number come from: given with the report, the resident record, the reporting account; or nobody');
/** Who reported, as the operator sees them before calling back (回访): the number masked. */
export const reporterSchema = z.object({
  source: reporterSource, name: z.string().nullable(), phoneMasked: z.string().nullable(),
  mayReveal: z.boolean().describe('a number exists and the caller may reveal it (with a reason, audited)'),
});
export const reporterRevealBody = z.object({ reason: z.string().trim().min(2, 'say why you need the full number').max(200) });
export const reporterRevealSchema = z.object({ source: reporterSource, name: z.string().nullable(), phone: z.string() });
