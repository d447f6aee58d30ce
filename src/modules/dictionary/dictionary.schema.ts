import { z } from 'zod';
import { BOARD_KINDS, COMPLEXITIES, DEADLINE_UNITS, JOINT_DUTY_TYPES, MATTER_LEVELS, MATTER_SCOPES } from '../../core/vocabulary.ts';

const jointDuty = z.enum(JOINT_DUTY_TYPES);
export const categoryBody = z.object({
  code: z.string().regex(/^(\d{5}|S\d{5})$/, 'a city type is 5 digits (2 major + 3 minor), a social type S + 5 digits'),
  catalogue: z.enum(['city', 'social']),
  major: z.string().trim().min(1).max(30),
  name: z.string().trim().min(1).max(40),
  defaultLevel: z.enum(MATTER_LEVELS),
  scope: z.enum(MATTER_SCOPES),
  complexity: z.enum(COMPLEXITIES),
  leadBoard: z.enum(BOARD_KINDS).nullable().default(null),
  leadPost: z.string().trim().max(30).nullable().default(null),
  leadJointDuty: jointDuty.nullable().default(null),
  assistJointDuty: z.array(jointDuty).max(7).default([]),
  deadline: z.object({ amount: z.number().int().min(1).max(365), unit: z.enum(DEADLINE_UNITS) }),
  urgent: z.boolean().default(false),
  keywords: z.array(z.string().trim().min(2).max(20)).max(30).default([]),
});
export const categoryPatch = categoryBody.omit({ code: true, catalogue: true }).partial().extend({ status: z.enum(['active', 'retired']).optional() })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
export const categorySchema = categoryBody.extend({ id: z.number(), status: z.string() });
export const codeParams = z.object({ code: z.string().max(10) });
export const calendarQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
export const dayParams = z.object({ day: z.iso.date('must be a date as YYYY-MM-DD') });
export const dayBody = z.object({ kind: z.enum(['holiday', 'workday']), name: z.string().trim().max(30).default('') });
export const daySchema = z.object({ day: z.string(), kind: z.enum(['holiday', 'workday']), name: z.string() });
