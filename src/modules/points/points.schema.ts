import { z } from 'zod';
import { EARN_RULES, TRANSFER_KINDS } from '../../core/vocabulary.ts';

// ---- points (德分宝) ----
export const mineQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor: z.string().max(200).optional() });
const entry = z.object({
  id: z.number(), delta: z.number().describe('points in (+) or out (−)'), at: z.string(), kind: z.enum(TRANSFER_KINDS), rule: z.enum(EARN_RULES).nullable(),
  note: z.string(), reversal: z.boolean().describe('a reversal (冲正) of an earlier transfer'),
});
export const mineSchema = z.object({
  balance: z.number(), held: z.number().describe('reserved by codes not yet confirmed (冻结)'), available: z.number(),
  items: z.array(entry), nextCursor: z.string().nullable(),
});
export const checkinSchema = mineSchema.extend({
  day: z.string(), granted: z.number().describe('points this check-in gave (0 when already checked in or past a cap)'), already: z.boolean(),
});
export const ruleSchema = z.object({
  rule: z.enum(EARN_RULES), points: z.number(), dailyCap: z.number().describe('per resident per day; 0: none'), monthlyCap: z.number(), active: z.boolean(), updatedAt: z.string(),
});
export const rulesSchema = z.object({ items: z.array(ruleSchema) });
export const ruleParams = z.object({ rule: z.enum(EARN_RULES) });
export const ruleBody = z.object({
  points: z.number().int('whole points').min(0).max(10000), dailyCap: z.number().int().min(0).max(1_000_000), monthlyCap: z.number().int().min(0).max(10_000_000), active: z.boolean(),
});
