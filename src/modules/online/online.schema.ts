import { z } from 'zod';
import { idField, idParam } from '../../core/fields.ts';
import { URGENT_KINDS } from '../../core/vocabulary.ts';

export const idParams = z.object({ id: idParam });
export const sourceParams = z.object({ sourceId: idParam });
const isoDay = z.iso.date({ message: 'must be a calendar date as YYYY-MM-DD' });
const bool = z.enum(['true', 'false']);

/** One message in a webhook body. `id` is the sender system's message id: the same id again is a replay. */
export const webhookMessage = z.object({
  id: z.string().trim().min(1).max(128),
  groupId: z.string().trim().min(1).max(128).describe('the chat group id in the sending system'),
  senderId: z.string().trim().min(1).max(128),
  senderName: z.string().trim().min(1).max(50),
  sentAt: z.iso.datetime({ offset: true }).optional().describe('ISO 8601; absent means now'),
  text: z.string().max(4000),
  attachments: z.array(z.object({ kind: z.enum(['image', 'file', 'voice', 'video', 'link']), url: z.url().max(1000).optional(), name: z.string().max(200).optional() })).max(10).default([]),
});
export const webhookBody = z.union([webhookMessage, z.object({ messages: z.array(webhookMessage).min(1).max(500) })]);

export const wecomQuery = z.object({
  msg_signature: z.string().max(100).optional(), timestamp: z.string().max(20).optional(), nonce: z.string().max(100).optional(), echostr: z.string().max(4000).optional(),
});

export const forwardBody = z.object({
  text: z.string().trim().min(1).max(4000),
  senderName: z.string().trim().min(1).max(50).optional(),
  sentAt: z.iso.datetime({ offset: true }).optional(),
  clientId: z.uuid().describe('idempotency key: the same clientId again answers 200 with the message it made'),
  attachments: z.array(z.object({ fileHash: z.string().regex(/^[0-9a-f]{64}$/) })).max(9).default([]),
});

const state = z.enum(['new', 'held', 'to_matter', 'handled_in_group', 'dismissed']);
export const listQuery = z.object({
  gridId: idParam.optional(),
  groupId: idParam.optional(),
  state: state.optional(),
  actionable: bool.optional(),
  urgent: bool.optional(),
  from: isoDay.optional().describe('Beijing day, inclusive'),
  to: isoDay.optional().describe('Beijing day, inclusive'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const heldQuery = z.object({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });
export const statsQuery = z.object({ under: idParam.optional(), from: isoDay.optional(), to: isoDay.optional() });
export const coverageQuery = z.object({ under: idParam.optional() });

export const toMatterBody = z.object({
  categoryCode: z.string().max(20).optional(),
  description: z.string().trim().min(2).max(2000).optional(),
  location: z.union([z.object({ buildingId: idField }), z.object({ nodeId: idField })]).optional(),
}).default({});
export const handledBody = z.object({ note: z.string().trim().min(1).max(500) });
export const dismissBody = z.object({ reason: z.string().trim().min(1).max(500).optional() }).default({});
export const urgencyBody = z.object({ urgentKind: z.enum(URGENT_KINDS).nullable().describe('the urgent kind to raise, or null to clear the urgency') });
export const bindBody = z.object({ externalGroupId: z.string().trim().min(1).max(128), groupId: idField });

export const memberBody = z.object({
  externalUserId: z.string().trim().min(1).max(128),
  displayName: z.string().trim().min(1).max(50),
  residentId: idField.optional(),
  userId: idField.optional(),
}).refine((b) => !(b.residentId && b.userId), { message: 'link a member to a resident or to a staff account, not both' });

export const sourceBody = z.object({
  kind: z.enum(['wecom', 'webhook']),
  name: z.string().trim().min(1).max(60),
  token: z.string().trim().min(3).max(32).optional().describe('WeCom: the callback Token'),
  aesKey: z.string().regex(/^[A-Za-z0-9]{43}$/, 'the EncodingAESKey has 43 letters and digits').optional(),
  corpId: z.string().trim().min(1).max(64).optional(),
  secret: z.string().min(16).max(200).optional().describe('webhook: the HMAC-SHA256 secret, at least 16 characters'),
});
export const phraseBody = z.object({
  kind: z.enum(['category', 'urgent', 'chatter', 'landmark']),
  phrase: z.string().trim().min(1).max(40),
  categoryCode: z.string().max(20).optional(),
  urgentKind: z.enum(URGENT_KINDS).optional(),
  weight: z.number().min(0.1).max(5).default(1),
});

// ---- responses ----
export const takenSchema = z.object({ id: z.number(), duplicate: z.boolean(), state: z.string() });
export const batchTakenSchema = z.object({ accepted: z.number(), duplicates: z.number(), items: z.array(takenSchema.extend({ messageId: z.string() })) });

export const messageSchema = z.object({
  id: z.number(), via: z.string(), groupId: z.number().nullable(), groupName: z.string().nullable(), gridId: z.number().nullable(), gridName: z.string().nullable(),
  externalGroupId: z.string(), senderName: z.string(), memberId: z.number().nullable(), sentAt: z.string(), receivedAt: z.string(), text: z.string(),
  attachments: z.array(z.object({ kind: z.string(), url: z.string().optional(), fileHash: z.string().optional(), name: z.string().optional() })),
  forwardedBy: z.number().nullable(), actionable: z.boolean(), score: z.number(), categoryCode: z.string().nullable(), urgent: z.boolean(), urgentKind: z.string().nullable(),
  why: z.array(z.string()).describe('Why the sensor said so (感知依据): the phrases that counted, then the model\'s strongest features'),
  hints: z.object({ buildings: z.array(z.string()).optional(), units: z.array(z.string()).optional(), rooms: z.array(z.string()).optional(), landmarks: z.array(z.string()).optional() }),
  state, matterId: z.number().nullable(), handledNote: z.string().nullable(), handledBy: z.number().nullable(), handledAt: z.string().nullable(),
});
export const memberSchema = z.object({
  id: z.number(), groupId: z.number(), externalUserId: z.string(), displayName: z.string(), residentId: z.number().nullable(), userId: z.number().nullable(),
  userName: z.string().nullable(), realName: z.enum(['resident', 'staff', 'none']), joinedAt: z.string(), leftAt: z.string().nullable(),
});
export const sourceSchema = z.object({
  id: z.number(), kind: z.string(), name: z.string(), status: z.string(), createdAt: z.string(),
  corpId: z.string().nullable(), token: z.string().nullable().describe('masked'), aesKey: z.string().nullable().describe('masked'), secret: z.string().nullable().describe('masked'),
  callbackPath: z.string(),
});
export const phraseSchema = z.object({ id: z.number(), kind: z.string(), phrase: z.string(), categoryCode: z.string().nullable(), urgentKind: z.string().nullable(), weight: z.number(), createdAt: z.string() });
const figures = { messages: z.number(), actionable: z.number(), urgent: z.number(), toMatter: z.number(), handledInGroup: z.number() };
export const statsSchema = z.object({
  under: z.object({ id: z.number(), name: z.string() }),
  totals: z.object({ ...figures, held: z.number().nullable().describe('administrators only') }),
  grids: z.array(z.object({ gridId: z.number(), name: z.string(), ...figures })),
  communities: z.array(z.object({ communityId: z.number(), name: z.string(), ...figures })),
});
const coverageFigures = z.object({
  nodeId: z.number(), name: z.string(), level: z.string(), grids: z.number(), gridsWithGroup: z.number(), groups: z.number(), groupsWithWorker: z.number(),
  groupsWithChief: z.number(), groupsWithDepartment: z.number(), coveredGroups: z.number(), members: z.number(), realName: z.number(), gridCoverage: z.number(), staffCoverage: z.number(),
});
export const coverageSchema = z.object({
  under: z.object({ id: z.number(), name: z.string(), level: z.string() }),
  groups: z.array(z.object({
    groupId: z.number(), groupName: z.string(), gridId: z.number(), gridName: z.string(), members: z.number(), realName: z.number(),
    hasGridWorker: z.boolean(), hasGridChief: z.boolean(), departments: z.array(z.object({ id: z.number(), name: z.string() })), covered: z.boolean(),
  })),
  grids: z.array(coverageFigures), communities: z.array(coverageFigures), towns: z.array(coverageFigures),
});
