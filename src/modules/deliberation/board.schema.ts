import { z } from 'zod';
import { MEETING_KINDS, PLEDGE_KINDS, TOPIC_SCOPES, TOPIC_STAGES } from '../../core/vocabulary.ts';

// ---- the public notice board (公示栏): nothing personal, pledgers masked, texts redacted ----
const funding = z.object({
  pledgedYuan: z.number(), deliveredYuan: z.number(), labourHours: z.number(), materials: z.number().describe('pledged material items, any unit'),
  pledgers: z.number(),
});
const decision = z.object({
  decidedAt: z.string().nullable(), outcome: z.string().nullable().describe('the outcome statement (决议内容), personal numbers and names masked'),
  passed: z.boolean().nullable(), voters: z.number().nullable(), eligible: z.number().nullable(), turnoutPercent: z.number().nullable(),
});
const projectSummary = z.object({ status: z.enum(['running', 'completed']), progress: z.number(), completedAt: z.string().nullable() });

export const boardTopicItem = z.object({
  id: z.number(), title: z.string(), stage: z.enum(TOPIC_STAGES), scope: z.enum(TOPIC_SCOPES), placeName: z.string(),
  support: z.object({ count: z.number(), threshold: z.number() }), decision, funding, project: projectSummary.nullable(),
  raisedAt: z.string(), updatedAt: z.string(),
});
export const communityBoardSchema = z.object({
  community: z.object({ id: z.number(), name: z.string(), parentName: z.string().nullable() }),
  url: z.string().describe('this board\'s public page'), qrSvg: z.string().describe('a QR code of the url, as SVG, for the printed sheet'),
  totals: z.object({ raised: z.number(), decided: z.number(), implementing: z.number(), completed: z.number(), pledgedYuan: z.number(), labourHours: z.number() }),
  topics: z.array(boardTopicItem), generatedAt: z.string(),
});

export const topicBoardSchema = z.object({
  community: z.object({ id: z.number(), name: z.string() }).nullable(),
  url: z.string(), qrSvg: z.string(), generatedAt: z.string(),
  topic: boardTopicItem.extend({ body: z.string() }),
  plans: z.array(z.object({
    id: z.number(), title: z.string(), body: z.string(), costYuan: z.number().nullable(), status: z.enum(['proposed', 'withdrawn', 'chosen', 'not_chosen']),
    departments: z.array(z.string()),
    goals: z.array(z.object({ kind: z.enum(PLEDGE_KINDS), label: z.string(), unit: z.string(), target: z.number(), pledged: z.number(), delivered: z.number(), pledgers: z.number() })),
  })),
  pledges: z.array(z.object({ by: z.string().describe('an organisation by name, a resident masked (王**)'), kind: z.enum(PLEDGE_KINDS), label: z.string(), unit: z.string(), amount: z.number(), delivered: z.boolean() })),
  meetings: z.array(z.object({ kind: z.enum(MEETING_KINDS), title: z.string(), place: z.string(), station: z.string().nullable(), startsAt: z.string(), attended: z.number(), minutes: z.string() })),
  project: projectSummary.extend({ title: z.string(), departments: z.array(z.string()), milestones: z.array(z.object({ title: z.string(), progress: z.number() })) }).nullable(),
});
