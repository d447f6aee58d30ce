import { z } from 'zod';
import { idParam } from '../../core/fields.ts';
import { ROLES } from '../../core/vocabulary.ts';

export const roleSchema = z.enum(ROLES);

export const assignmentSchema = z.object({
  id: z.number(),
  role: roleSchema,
  nodeId: z.number(),
  boardId: z.number().nullable(),
  postId: z.number().nullable(),
  departmentId: z.number().nullable(),
  buildingId: z.number().nullable(),
  unitId: z.number().nullable(),
  abSlot: z.enum(['A', 'B']).nullable(),
  employment: z.enum(['full_time', 'part_time']).nullable(),
});

export const meSchema = z.object({
  userId: z.number(),
  username: z.string(),
  displayName: z.string(),
  via: z.enum(['session', 'token']),
  assignments: z.array(assignmentSchema),
});

export const loginBody = z.object({
  username: z.string().trim().min(1, 'username is required').max(64),
  password: z.string().min(1, 'password is required').max(256),
});

export const tokenBody = z.object({ name: z.string().trim().min(1).max(100) });
export const tokenSchema = z.object({ id: z.number(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() });
export const idParams = z.object({ id: idParam });
