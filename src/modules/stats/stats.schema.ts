import { z } from 'zod';
import { idParam } from '../../core/fields.ts';
import { rangeProblem } from '../../core/stats/formulas.ts';
import { MATTER_LEVELS, MATTER_SOURCES, MATTER_STATUSES } from '../../core/vocabulary.ts';

const day = z.iso.date({ message: 'must be a calendar date as YYYY-MM-DD' });
const range = {
  nodeId: idParam,
  from: day.describe('first day, Beijing time, inclusive'),
  to: day.describe('last day, Beijing time, inclusive; at most 3 years after from'),
};
// One message per refused range, reported on `to` (the field people usually get wrong).
const checkRange = (q: { from: string; to: string }, ctx: z.RefinementCtx) => {
  const problem = rangeProblem(q.from, q.to);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['to'] });
};

export const rangeQuery = z.object(range).superRefine(checkRange);
export const handlerKindSchema = z.enum(['department', 'post', 'board']);
export const handlersQuery = z.object({ ...range, kind: handlerKindSchema }).superRefine(checkRange);

const rate = z.number().nullable().describe('0..1; null when the denominator is zero');
export const figuresSchema = z.object({
  due: z.number().describe('matters falling due on days in [from, min(to, today)]'),
  closed: z.number(), closedOnTime: z.number(),
  closureRate: rate.describe('结案率 = closed / due'), onTimeRate: rate.describe('按期结案率 = closedOnTime / due'),
  rated: z.number(), satisfied: z.number(), basically: z.number(), dissatisfied: z.number(),
  satisfactionRate: rate.describe('满意率 = (satisfied + basically) / rated'),
  handled: z.number(), reworked: z.number(), reworkRate: rate.describe('返工率 = reworked / handled'),
  closes: z.number().describe('closings on days in [from, to]'),
  averageHandlingHours: z.number().nullable().describe('平均办理时长 = handling time of closings / closes, in hours'),
  suspended: z.number(), extended: z.number(), escalated: z.number(),
  overdueNow: z.number().describe('当前超期: running matters past due right now, whatever the range'),
});

// An enum-keyed record is exhaustive in zod 4: every known key is present, zero when nothing was counted.
const counts = <K extends string>(keys: readonly [K, ...K[]]) => z.record(z.enum(keys), z.number());
export const reportedSchema = z.object({
  total: z.number(),
  bySource: counts(MATTER_SOURCES),
  byCategory: z.array(z.object({ categoryId: z.number().nullable(), code: z.string().nullable(), name: z.string().nullable(), n: z.number() })),
  byLevel: counts(MATTER_LEVELS),
  byStatus: counts(MATTER_STATUSES),
});

const nodeRef = z.object({ id: z.number(), level: z.string(), code: z.string(), name: z.string() });
const header = { node: nodeRef, from: z.string(), to: z.string() };

export const summarySchema = z.object({ ...header, reported: reportedSchema, ...figuresSchema.shape });
export const breakdownSchema = z.object({ ...header, items: z.array(z.object({ node: nodeRef, reported: reportedSchema, ...figuresSchema.shape })) });
export const handlersSchema = z.object({
  ...header,
  kind: handlerKindSchema,
  items: z.array(z.object({ kind: handlerKindSchema, id: z.number(), name: z.string(), subject: z.string(), ...figuresSchema.shape })),
});
