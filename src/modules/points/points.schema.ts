import { z } from 'zod';
import { idField, idParam } from '../../core/fields.ts';
import { EARN_RULES, FLAG_STATES, MERCHANT_STATES, POINT_FLAG_KINDS, REDEMPTION_STATES, TRANSFER_KINDS, VOLUNTEER_STATES } from '../../core/vocabulary.ts';

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

// ---- the merchant alliance (德商联盟) ----
const day = z.iso.date({ message: 'must be a calendar date as YYYY-MM-DD' });
const hhmm = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'a time as HH:MM');
const text = (max: number) => z.string().trim().max(max);
const requestKey = z.string().trim().min(1).max(100).describe('a key the page makes per press (a UUID): a retry answers the first result');

export const merchantParams = z.object({ id: idParam });
export const itemParams = z.object({ id: idParam, itemId: idParam });
export const idOnlyParams = z.object({ id: idParam });

export const itemSchema = z.object({
  id: z.number(), name: z.string(), description: z.string(), points: z.number(), stock: z.number().nullable().describe('left in stock; null: a service without a count'), active: z.boolean(),
});
export const itemBody = z.object({
  name: text(60).min(1), description: text(300).default(''), points: z.number().int('whole points').min(1).max(100000),
  stock: z.number().int().min(0).max(1_000_000).nullable().default(null),
});
export const itemPatch = itemBody.partial().extend({ active: z.boolean().optional() }).refine((v) => Object.keys(v).length > 0, 'nothing to change');

const merchantFields = {
  name: text(60).min(1), address: text(200).default(''), description: text(500).default(''), opens: hhmm.default('08:00'), closes: hhmm.default('21:00'),
  dailyPointsCap: z.number().int().min(0).max(10_000_000).default(0).describe('points a day the shop may take (0: no cap)'),
};
export const onboardBody = z.object({
  communityId: idField, ...merchantFields,
  keeper: z.object({ name: text(30).min(1), phone: z.string().trim().regex(/^1[3-9]\d{9}$/, 'a mainland mobile number') }),
});
export const merchantPatch = z.object({
  name: merchantFields.name, address: text(200), description: text(500), opens: hhmm, closes: hhmm, dailyPointsCap: z.number().int().min(0).max(10_000_000),
}).partial().refine((v) => Object.keys(v).length > 0, 'nothing to change');
export const stateBody = z.object({ reason: text(500).default('') });

export const merchantSchema = z.object({
  id: z.number(), name: z.string(), address: z.string(), description: z.string(), opens: z.string(), closes: z.string(), openNow: z.boolean(),
  dailyPointsCap: z.number(), state: z.enum(MERCHANT_STATES), stateReason: z.string(), community: z.object({ id: z.number(), name: z.string() }),
  items: z.array(itemSchema),
});
export const merchantDetailSchema = merchantSchema.extend({
  keepers: z.array(z.object({ id: z.number(), name: z.string(), phone: z.string().nullable().describe('masked'), resident: z.boolean() })),
});
export const merchantsSchema = z.object({ items: z.array(merchantSchema.omit({ items: true }).extend({ itemCount: z.number() })) });
export const shopSchema = z.object({ items: z.array(merchantSchema.extend({ home: z.boolean().describe('in my own community') })) });
export const keptSchema = z.object({ items: z.array(merchantSchema) });

// ---- redemption codes (兑换码) ----
export const redeemBody = z.object({ itemId: idField, quantity: z.number().int().min(1).max(20).default(1), key: requestKey });
export const codeBody = z.object({ code: z.string().trim().min(1).max(100).describe('the eight digits, or the QR\'s payload as scanned') });
export const declineBody = codeBody.extend({ reason: text(200).default('') });
export const redemptionSchema = z.object({
  id: z.number(), code: z.string().nullable().describe('shown to the resident while pending; null after'), qr: z.string().nullable().describe('the QR payload while pending'),
  state: z.enum(REDEMPTION_STATES), item: z.object({ id: z.number(), name: z.string() }), merchant: z.object({ id: z.number(), name: z.string(), address: z.string() }),
  quantity: z.number(), points: z.number(), expiresAt: z.string(), createdAt: z.string(), resolvedAt: z.string().nullable(), reason: z.string(),
});
export const redemptionsSchema = z.object({ items: z.array(redemptionSchema) });
export const counterSchema = redemptionSchema.omit({ code: true, qr: true }).extend({ resident: z.string().describe('masked name, 王**'), codeTail: z.string().describe('last four digits') });
export const counterListSchema = z.object({ items: z.array(counterSchema), confirmedPoints: z.number(), confirmed: z.number() });

// ---- volunteer hours (志愿服务时长) ----
export const hoursBody = z.object({
  residentId: idField, activity: text(200).min(1), servedOn: day, minutes: z.number().int().min(15, 'at least 15 minutes').max(1440, 'at most a day'),
});
export const hoursQuery = z.object({ state: z.enum(VOLUNTEER_STATES).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });
export const decideBody = z.object({ reason: text(500).default('') });
export const hoursSchema = z.object({
  id: z.number(), resident: z.object({ id: z.number(), name: z.string().describe('in full: the resident and the staff of their grid, who sign the hours off') }), grid: z.string(), activity: z.string(), servedOn: z.string(),
  minutes: z.number(), state: z.enum(VOLUNTEER_STATES), recordedBy: z.string().nullable(), decidedBy: z.string().nullable(), decidedAt: z.string().nullable(), reason: z.string(),
  points: z.number().nullable().describe('points the approval granted'),
});
export const hoursListSchema = z.object({ items: z.array(hoursSchema) });

// ---- figures, reports, flags, the scheme ----
export const rangeQuery = z.object({ nodeId: idParam, from: day, to: day });
export const merchantRangeQuery = z.object({ from: day, to: day });
const figureFields = {
  registered: z.number().describe('residents with a points account'), active: z.number().describe('accounts that moved in the range'), earned: z.number(), redeemed: z.number(),
  redemptions: z.number(), volunteerHours: z.number(),
};
const figureNode = z.object({ id: z.number(), name: z.string(), code: z.string(), level: z.string() });
export const figuresSchema = z.object({
  node: figureNode, from: z.string(), to: z.string(), ...figureFields, children: z.array(z.object({ node: figureNode, ...figureFields })),
});
export const settleBody = z.object({ key: requestKey });
export const settleSchema = z.object({ transferId: z.number(), points: z.number(), created: z.boolean() });
export const flagsQuery = z.object({ state: z.enum(FLAG_STATES).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });
export const flagSchema = z.object({
  id: z.number(), kind: z.enum(POINT_FLAG_KINDS), state: z.enum(FLAG_STATES), merchant: z.object({ id: z.number(), name: z.string() }).nullable(),
  resident: z.object({ id: z.number(), name: z.string().describe('masked') }).nullable(), redemptionId: z.number().nullable(), details: z.record(z.string(), z.unknown()),
  note: z.string(), createdAt: z.string(), reviewedAt: z.string().nullable(),
});
export const flagsSchema = z.object({ items: z.array(flagSchema) });
export const reviewBody = z.object({ state: z.enum(['cleared', 'upheld']), note: text(500).default('') });
export const schemeSchema = z.object({
  lotMonths: z.number().nullable().describe('points expire this many months after the month they were earned in; null: never'),
  residentDailyRedemptions: z.number(), residentDailyPoints: z.number(), repeatWindowDays: z.number(), repeatThreshold: z.number(), updatedAt: z.string(),
});
export const schemeBody = z.object({
  lotMonths: z.number().int().min(1).max(120).nullable(), residentDailyRedemptions: z.number().int().min(0).max(1000), residentDailyPoints: z.number().int().min(0).max(10_000_000),
  repeatWindowDays: z.number().int().min(1).max(90), repeatThreshold: z.number().int().min(1).max(1000),
});
export const reconciliationSchema = z.object({
  id: z.number(), ranAt: z.string(), ok: z.boolean(), accounts: z.number(), total: z.number(), entriesTotal: z.number(),
  mismatched: z.array(z.object({ id: z.number(), balance: z.number(), entries: z.number() })),
});
export const reconciliationsSchema = z.object({ items: z.array(reconciliationSchema) });
