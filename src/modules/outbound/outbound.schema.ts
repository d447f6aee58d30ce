import { z } from 'zod';
import { idField, idParam } from '../../core/fields.ts';
import { TIME_OF_DAY } from './outbound.schedule.ts';

const id = idField;
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(1000);
const secret = z.string().min(16, 'a signing secret needs at least 16 characters').max(200);

export const idParams = z.object({ id: idParam });
export const targetParams = z.object({ id: idParam, targetId: idParam });

export const createTargetBody = z.object({
  kind: z.enum(['wecom_robot', 'webhook']).describe('wecom_robot: the group robot webhook URL (its key is in the URL); webhook: any URL, signed with the secret'),
  url: httpUrl,
  secret: secret.optional().describe('webhook only: the HMAC-SHA256 signing secret; never shown back in full'),
}).refine((b) => b.kind !== 'webhook' || b.secret, { message: 'a webhook target needs a signing secret', path: ['secret'] })
  .refine((b) => b.kind !== 'wecom_robot' || !b.secret, { message: 'a WeCom robot is not signed; leave secret out', path: ['secret'] });

export const updateTargetBody = z.object({
  kind: z.enum(['wecom_robot', 'webhook']).optional(),
  url: httpUrl.optional(),
  secret: secret.nullable().optional(),
  status: z.enum(['active', 'disabled']).optional(),
}).refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'change at least one field' });

export const targetSchema = z.object({
  id: z.number(), groupId: z.number(), kind: z.enum(['wecom_robot', 'webhook']),
  url: z.string().describe('query values masked: a robot key is a secret'), secretHint: z.string().nullable().describe('the last 4 characters, or null when unset'),
  status: z.enum(['active', 'disabled']), createdAt: z.string(),
});

const title = z.string().trim().min(1, 'give a title').max(100);
const body = z.string().trim().min(1, 'write the message').max(2000);
const theme = z.string().trim().min(1).max(30).describe('e.g. 防诈骗, 防溺水, 政策宣讲');

export const createContentBody = z.object({ title, body, theme: theme.optional() });
export const updateContentBody = z.object({ title: title.optional(), body: body.optional(), theme: theme.nullable().optional(), status: z.enum(['active', 'retired']).optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'change at least one field' });
export const contentQuery = z.object({
  theme: z.string().max(30).optional(), status: z.enum(['active', 'retired']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(200).optional(),
});
export const contentSchema = z.object({
  id: z.number(), title: z.string(), body: z.string(), theme: z.string().nullable(), status: z.enum(['active', 'retired']),
  createdBy: z.number().nullable(), createdAt: z.string(),
});

const planFields = {
  name: z.string().trim().min(1, 'name the plan').max(100),
  cadence: z.enum(['daily', 'weekly']),
  timeOfDay: z.string().regex(TIME_OF_DAY, "must be 'HH:MM', 00:00–23:59, Beijing time"),
  weekday: z.number().int().min(1).max(7).nullable().describe('weekly plans: 1 = Monday … 7 = Sunday'),
  contentId: id.nullable().describe('fixed content; or give theme'),
  theme: theme.nullable().describe("rotate through the theme's active content, one item per day or week"),
  nodeId: id.nullable().describe('every active group under this node; or give groupIds'),
  groupIds: z.array(id).max(500).describe('these groups; or give nodeId'),
};

export const createPlanBody = z.object({
  ...planFields, weekday: planFields.weekday.optional(), contentId: planFields.contentId.optional(), theme: planFields.theme.optional(),
  nodeId: planFields.nodeId.optional(), groupIds: planFields.groupIds.optional(),
});
export const updatePlanBody = z.object({
  name: planFields.name.optional(), cadence: planFields.cadence.optional(), timeOfDay: planFields.timeOfDay.optional(), weekday: planFields.weekday.optional(),
  contentId: planFields.contentId.optional(), theme: planFields.theme.optional(), nodeId: planFields.nodeId.optional(), groupIds: planFields.groupIds.optional(),
  status: z.enum(['active', 'paused']).optional(),
}).refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'change at least one field' });

export const planSchema = z.object({
  id: z.number(), name: z.string(), cadence: z.enum(['daily', 'weekly']), timeOfDay: z.string(), weekday: z.number().nullable(),
  contentId: z.number().nullable(), theme: z.string().nullable(), nodeId: z.number().nullable(), groupIds: z.array(z.number()),
  status: z.enum(['active', 'paused']), nextRunAt: z.string().nullable(), createdAt: z.string(),
});

export const deliveryQuery = z.object({
  groupId: idParam.optional(),
  matterId: idParam.optional(),
  status: z.enum(['pending', 'sent', 'failed']).optional(),
  kind: z.enum(['matter_outcome', 'broadcast', 'alert']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const deliverySchema = z.object({
  id: z.number(), groupId: z.number(), groupName: z.string(), targetId: z.number().nullable(), kind: z.enum(['matter_outcome', 'broadcast', 'alert']),
  matterId: z.number().nullable(), planId: z.number().nullable(), status: z.enum(['pending', 'sent', 'failed']), attempts: z.number(),
  lastStatus: z.number().nullable(), lastError: z.string().nullable(), nextAttemptAt: z.string().nullable(), createdAt: z.string(), sentAt: z.string().nullable(),
  attemptLog: z.array(z.object({ at: z.string(), status: z.number().nullable(), error: z.string().nullable(), ms: z.number() })),
  text: z.string().nullable().describe('the message as it is sent now (plain text)'),
});

export const hashParams = z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 photo hash') });
