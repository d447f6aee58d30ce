import { z } from 'zod';
import { idField, idParam } from '../../core/fields.ts';
import { isValidIdNumber } from '../../core/idcard.ts';
import { isMobile } from '../../core/pii.ts';
import { roleSchema } from '../access/access.schema.ts';

const name = z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters');
const phone = z.string().trim().max(20).refine(isMobile, 'must be an 11-digit mainland mobile number such as 13812345678');
const idNumber = z.string().trim().toUpperCase().max(18).refine(isValidIdNumber, 'must be a valid 18-digit resident ID number (check digit included)');
const birthDate = z.iso.date('must be a date as YYYY-MM-DD');
const limit = z.coerce.number().int().min(1).max(200).default(50);
const cursor = z.string().max(200).optional();
export const idParams = z.object({ id: idParam });

export const residentSchema = z.object({
  id: z.number(), gridId: z.number(), gridName: z.string(), householdId: z.number().nullable(), buildingId: z.number().nullable(), unitId: z.number().nullable(),
  room: z.string().nullable(), userId: z.number().nullable(), name: z.string(), gender: z.enum(['M', 'F']).nullable(), birthDate: z.string().nullable(),
  phone: z.string().nullable().describe('masked, e.g. 138****5678'), idNumber: z.string().nullable().describe('masked'), status: z.string(),
});

export const residentQuery = z.object({
  gridId: idParam.optional(),
  under: idParam.optional(),
  householdId: idParam.optional(),
  phone: phone.optional().describe('exact match on the full number'),
  idNumber: z.string().trim().max(18).optional().describe('exact match on the full ID number'),
  name: z.string().trim().max(50).optional(),
  limit,
  cursor,
});

export const createResidentBody = z.object({
  gridId: idField,
  householdId: idField.nullable().default(null),
  name,
  gender: z.enum(['M', 'F']).nullable().default(null),
  birthDate: birthDate.nullable().default(null),
  phone: phone.nullable().default(null),
  idNumber: idNumber.nullable().default(null),
});

export const updateResidentBody = z.object({
  householdId: idField.nullable().optional(),
  name: name.optional(),
  phone: phone.nullable().optional(),
  status: z.enum(['active', 'moved_out', 'deceased']).optional(),
}).refine((b) => Object.keys(b).length > 0, 'nothing to change');

export const revealBody = z.object({
  fields: z.array(z.enum(['phone', 'id_number'])).min(1).max(2),
  reason: z.string().trim().min(2, 'say why you need the full number').max(200),
});
export const revealResult = z.object({ id: z.number(), phone: z.string().nullable().optional(), idNumber: z.string().nullable().optional() });

export const roleBody = z.object({
  role: roleSchema,
  nodeId: idField.optional(),
  boardId: idField.optional(),
  postId: idField.optional(),
  departmentId: idField.optional(),
  buildingId: idField.optional(),
  unitId: idField.optional(),
  abSlot: z.enum(['A', 'B']).optional(),
  employment: z.enum(['full_time', 'part_time']).optional(),
});

export const userSchema = z.object({
  id: z.number(), username: z.string(), displayName: z.string(), phone: z.string().nullable(), status: z.string(),
  roles: z.array(z.object({ id: z.number(), role: roleSchema, nodeId: z.number(), boardId: z.number().nullable(), postId: z.number().nullable(),
    departmentId: z.number().nullable(), buildingId: z.number().nullable(), unitId: z.number().nullable(), abSlot: z.enum(['A', 'B']).nullable(), employment: z.enum(['full_time', 'part_time']).nullable() })),
});

export const userQuery = z.object({ role: roleSchema.optional(), nodeId: idParam.optional(), q: z.string().trim().max(50).optional(), limit, cursor });

export const createUserBody = z.object({
  username: z.string().trim().regex(/^[a-zA-Z0-9_.-]{3,32}$/, '3–32 letters, digits, dot, dash or underscore'),
  displayName: name,
  password: z.string().min(8, 'must be at least 8 characters').max(128),
  phone: phone.nullable().default(null),
  roles: z.array(roleBody).min(1, 'give the person at least one role').max(20),
});

export const updateUserBody = z.object({
  displayName: name.optional(),
  password: z.string().min(8, 'must be at least 8 characters').max(128).optional(),
  status: z.enum(['active', 'disabled']).optional(),
}).refine((b) => Object.keys(b).length > 0, 'nothing to change');
