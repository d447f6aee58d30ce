import { z } from 'zod';
import { idParam } from '../../core/fields.ts';
import { TOPIC_STAGES } from '../../core/vocabulary.ts';
import { rangeProblem } from '../../core/stats/formulas.ts';

const day = z.iso.date({ message: 'must be a calendar date as YYYY-MM-DD' });
export const figuresQuery = z.object({ nodeId: idParam, from: day.describe('first day, Beijing time'), to: day.describe('last day, Beijing time, inclusive') })
  .superRefine((q, ctx) => {
    const problem = rangeProblem(q.from, q.to);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['to'] });
  });

const rate = z.number().nullable().describe('0..1; null when the denominator is zero');
const figures = {
  raised: z.number().describe('topics raised in the range (merged duplicates not counted)'),
  decided: z.number().describe('topics decided (passed) in the range'), rejected: z.number(),
  implemented: z.number().describe('topics whose project was completed in the range'),
  solvedByDeliberation: z.number().describe('livelihood matters solved by deliberation (通过议事解决): the implemented topics'),
  open: z.number().describe('topics still in progress now'),
  residents: z.number(), participants: z.number().describe('residents who supported, voted, commented, pledged or attended in the range'),
  participationRate: rate.describe('参与率 = participants / residents'),
  rated: z.number(), satisfied: z.number(), satisfactionRate: rate.describe('满意率 of the matters linked to topics (satisfied or basically)'),
  pledgedYuan: z.number(), deliveredYuan: z.number(), labourHours: z.number(),
};
const nodeRef = z.object({ id: z.number(), name: z.string(), code: z.string(), level: z.string() });
export const figuresSchema = z.object({ node: nodeRef, from: z.string(), to: z.string(), ...figures, items: z.array(z.object({ node: nodeRef, ...figures })) });

export const screenQuery = z.object({ nodeId: idParam });
export const screenSchema = z.object({
  from: z.string().describe('1 January of this year (Beijing)'), to: z.string().describe('today'), ...figures,
  latest: z.array(z.object({ id: z.number(), title: z.string(), stage: z.enum(TOPIC_STAGES), supports: z.number(), nodeName: z.string(), updatedAt: z.string() })).describe('up to 8, latest change first'),
});
