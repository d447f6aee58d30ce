import { z } from 'zod';
import { idField, idParam } from '../../core/fields.ts';
import { APPROVALS, DECISION_TYPES, MAJORITY_RULES, PLEDGE_KINDS, PLEDGE_STATES, TOPIC_ORIGINS, TOPIC_SCOPES, TOPIC_STAGES, VOTE_CHANNELS } from '../../core/vocabulary.ts';

const hash = z.string().regex(/^[0-9a-f]{64}$/, 'must be a photo hash returned by POST /api/files');
const note = z.string().trim().max(500).default('');
const reason = z.string().trim().min(1, 'say why').max(500);

export const idParams = z.object({ id: idParam });
export const planParams = z.object({ id: idParam, planId: idParam });

// ---- topics ----
export const raiseBody = z.object({
  title: z.string().trim().min(1, 'give the topic a title').max(80),
  body: z.string().trim().max(4000).default(''),
  scope: z.enum(TOPIC_SCOPES).default('grid').describe('whose topic it is: a grid, an estate (小区) or a community; residents raise it for where they live'),
  nodeId: idField.optional().describe('the grid or community; a resident may leave it out (their own grid, or its estate or community)'),
  supportThreshold: z.number().int().min(0).max(100000).optional().describe('supports (附议) needed before deliberation; 0 starts at once; default 10 for a resident, 0 for staff'),
  supportDays: z.number().int().min(1).max(90).optional().describe('days the topic collects support before it expires; default 14'),
  decisionType: z.enum(DECISION_TYPES).default('approve'),
  quorumPercent: z.number().int().min(0).max(100).default(0).describe("share of the scope's residents who must vote"),
  majority: z.enum(MAJORITY_RULES).default('simple'),
  resultsHidden: z.boolean().default(false).describe('hide the running tally until the vote closes'),
  clientId: z.uuid().optional().describe('idempotency key: the same clientId by the same user answers 200 with the topic it made'),
});

export const listQuery = z.object({
  stage: z.enum(TOPIC_STAGES).optional(),
  hidden: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('staff: include hidden topics'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const reasonBody = z.object({ reason });
export const noteBody = z.object({ note });
export const mergeBody = z.object({ into: idField, note });

const tallySchema = z.object({
  voters: z.number(), eligible: z.number(), turnoutPercent: z.number(), quorumMet: z.boolean(), passed: z.boolean(),
  approvals: z.object({ yes: z.number(), no: z.number(), abstain: z.number() }).optional(),
  plans: z.array(z.object({ planId: z.number(), votes: z.number() })).optional(),
  rounds: z.array(z.array(z.object({ planId: z.number(), votes: z.number() }))).optional(),
  winnerPlanId: z.number().nullable(), reason: z.string(),
});

export const topicSchema = z.object({
  id: z.number(), title: z.string(), body: z.string(), scope: z.enum(TOPIC_SCOPES), nodeId: z.number(), nodeName: z.string(), estateName: z.string().nullable(),
  origin: z.enum(TOPIC_ORIGINS), stage: z.enum(TOPIC_STAGES), matterId: z.number().nullable(), messageId: z.number().nullable(),
  raisedBy: z.string().nullable().describe('who raised it, a resident masked to the family name'),
  support: z.object({ count: z.number(), threshold: z.number(), until: z.string().nullable(), mine: z.boolean() }),
  decision: z.object({
    type: z.enum(DECISION_TYPES), quorumPercent: z.number(), majority: z.enum(MAJORITY_RULES), resultsHidden: z.boolean(),
    opensAt: z.string().nullable(), closesAt: z.string().nullable(), eligible: z.number().nullable(), voters: z.number(),
    tally: tallySchema.nullable().describe('the count: while open only when results are not hidden; fixed once closed'),
    myVote: z.object({ channel: z.enum(VOTE_CHANNELS), at: z.string() }).nullable(),
    outcome: z.string().nullable(), reviewOn: z.string().nullable(), decidedAt: z.string().nullable(), decidedPlanId: z.number().nullable(),
  }),
  hidden: z.object({ reason: z.string(), at: z.string() }).nullable(),
  mergedInto: z.number().nullable(),
  mayOrganise: z.boolean(), mayTakePart: z.boolean(),
  createdAt: z.string(), updatedAt: z.string(),
});

export const topicListItem = topicSchema.pick({ id: true, title: true, scope: true, nodeId: true, nodeName: true, estateName: true, origin: true, stage: true, createdAt: true, updatedAt: true })
  .extend({ supports: z.number(), threshold: z.number(), hidden: z.boolean() });

export const supportResult = z.object({ added: z.boolean(), topic: topicSchema });

export const eventSchema = z.object({ id: z.number(), action: z.string(), note: z.string(), details: z.record(z.string(), z.unknown()), at: z.string(), by: z.string().nullable() });

// ---- discussion ----
export const commentBody = z.object({
  body: z.string().trim().min(1, 'write something').max(2000),
  planId: idField.optional(), parentId: idField.optional(),
});
export const importBody = z.object({ messageIds: z.array(idField).min(1).max(200), planId: idField.optional() });
export const commentsQuery = z.object({ planId: idParam.optional(), limit: z.coerce.number().int().min(1).max(200).default(100), cursor: z.string().max(200).optional() });
export const commentParams = z.object({ id: idParam, commentId: idParam });
export const commentSchema = z.object({
  id: z.number(), planId: z.number().nullable(), parentId: z.number().nullable(), author: z.string(),
  realName: z.enum(['resident', 'staff', 'none']).describe('as the group shows it: 实名居民, 工作人员, 未实名'),
  fromGroup: z.boolean(), body: z.string().describe('"" when hidden'), hidden: z.boolean(), hiddenReason: z.string().nullable(), at: z.string(),
});
export const importResult = z.object({ imported: z.number(), skipped: z.number() });

// ---- plans (方案众包) ----
const goalBody = z.object({ kind: z.enum(PLEDGE_KINDS), label: z.string().trim().min(1).max(40), unit: z.string().trim().min(1).max(10), target: z.number().int().min(1).max(100_000_000) });
export const planBody = z.object({
  title: z.string().trim().min(1, 'give the plan a title').max(80),
  body: z.string().trim().max(8000).default(''),
  costYuan: z.number().int().min(0).max(1_000_000_000).nullable().default(null).describe('cost estimate in whole yuan'),
  photos: z.array(hash).max(9).default([]),
  departmentIds: z.array(idField).max(20).default([]).describe('the departments the plan needs'),
  coAuthorIds: z.array(idField).max(20).default([]).describe('user ids of co-authors (联名)'),
  goals: z.array(goalBody).max(10).default([]).describe('crowdfunding goals (众筹): money in yuan, labour in hours, materials'),
});
export const amendmentBody = z.object({ body: z.string().trim().min(1).max(8000), costYuan: z.number().int().min(0).max(1_000_000_000).nullable().optional() });
export const amendmentParams = z.object({ id: idParam, planId: idParam, amendmentId: idParam });
export const amendmentDecisionBody = z.object({ accept: z.boolean(), note });

const goalSchema = goalBody.extend({ id: z.number(), pledged: z.number(), delivered: z.number(), pledgers: z.number(), percent: z.number().describe('delivered and pledged toward the target, whole percent, capped at 100') });
export const planSchema = z.object({
  id: z.number(), topicId: z.number(), title: z.string(), body: z.string(), costYuan: z.number().nullable(), status: z.enum(['proposed', 'withdrawn', 'chosen', 'not_chosen']),
  authors: z.array(z.string()), photos: z.array(z.string()), departments: z.array(z.object({ id: z.number(), name: z.string() })),
  amendments: z.array(z.object({ id: z.number(), author: z.string(), body: z.string(), costYuan: z.number().nullable(), state: z.enum(['proposed', 'accepted', 'rejected']), at: z.string() })),
  goals: z.array(goalSchema), createdAt: z.string(),
});
export const plansSchema = z.object({ items: z.array(planSchema) });

// ---- decisions (表决) ----
export const openVoteBody = z.object({
  closesAt: z.iso.datetime({ offset: true }).describe('when the vote closes; later than now'),
  decisionType: z.enum(DECISION_TYPES).optional(), quorumPercent: z.number().int().min(0).max(100).optional(),
  majority: z.enum(MAJORITY_RULES).optional(), resultsHidden: z.boolean().optional(),
});
export const voteBody = z.object({
  approval: z.enum(APPROVALS).optional(), planId: idField.optional(), ranking: z.array(idField).min(1).max(20).optional(),
}).refine((b) => [b.approval, b.planId, b.ranking].filter((x) => x !== undefined).length === 1, { message: 'give exactly one of approval, planId or ranking' });
export const recordVoteBody = z.object({
  residentId: idField.describe('the resident whose vote this is'),
  channel: z.enum(['meeting', 'paper']),
  meetingId: idField.optional().describe('the meeting where hands were counted or ballots cast'),
  approval: z.enum(APPROVALS).optional(), planId: idField.optional(), ranking: z.array(idField).min(1).max(20).optional(),
}).refine((b) => [b.approval, b.planId, b.ranking].filter((x) => x !== undefined).length === 1, { message: 'give exactly one of approval, planId or ranking' });
export const closeVoteBody = z.object({
  outcome: z.string().trim().max(2000).default('').describe('the outcome statement (决议内容)'),
  reviewOn: z.iso.date().optional().describe('when the decision is reviewed'),
});
export const voteResult = z.object({ channel: z.enum(VOTE_CHANNELS), at: z.string(), topic: topicSchema });

// ---- crowdfunding (建设众筹) ----
export const pledgeBody = z.object({
  goalId: idField, amount: z.number().int().min(1, 'a pledge is more than nothing').max(100_000_000),
  residentId: idField.optional().describe('staff recording a pledge for a resident'),
  organisation: z.string().trim().min(1).max(60).optional().describe('staff recording a pledge by an organisation (物业公司, 商户)'),
  note: z.string().trim().max(200).default(''),
  clientId: z.uuid().optional(),
});
export const pledgeParams = z.object({ id: idParam, pledgeId: idParam });
export const pledgeSchema = z.object({
  id: z.number(), goalId: z.number(), planId: z.number(), kind: z.enum(PLEDGE_KINDS), label: z.string(), unit: z.string(), amount: z.number(),
  by: z.string().describe('the pledger, a resident masked to the family name'), mine: z.boolean().describe('the viewer\'s own pledge'), state: z.enum(PLEDGE_STATES),
  note: z.string().describe('shown to the pledger and the organisers; empty for everyone else'), at: z.string(), confirmedAt: z.string().nullable(),
});
export const pledgesSchema = z.object({ items: z.array(pledgeSchema) });
