import { z } from 'zod';
import { idField } from '../../core/fields.ts';
import { MATTER_STATUSES, PROJECT_PHOTO_STAGES } from '../../core/vocabulary.ts';

const hash = z.string().regex(/^[0-9a-f]{64}$/, 'must be a photo hash returned by POST /api/files');

// ---- implementation (实施) ----
export const milestoneInput = z.object({
  title: z.string().trim().min(1, 'name the milestone').max(80),
  weight: z.number().int().min(1).max(100).default(1).describe('its share of the project\'s progress (default 1)'),
  dueOn: z.iso.date().optional(),
});
export const startProjectBody = z.object({
  title: z.string().trim().min(1).max(80).optional().describe('defaults to the chosen plan\'s title, or the topic\'s'),
  milestones: z.array(milestoneInput).min(1, 'a project needs at least one milestone').max(30),
  departmentIds: z.array(idField).max(20).default([]).describe('the owner departments (责任部门)'),
  photos: z.array(hash).max(9).default([]).describe('photos of the place before the work (施工前)'),
});
export const milestoneBody = z.object({
  progress: z.number().int().min(0, 'progress is 0 to 100').max(100, 'progress is 0 to 100'),
  note: z.string().trim().max(500).default(''),
});
export const projectPhotosBody = z.object({ stage: z.enum(PROJECT_PHOTO_STAGES), photos: z.array(hash).min(1, 'attach a photo').max(9) });
export const projectMatterBody = z.object({
  title: z.string().trim().min(2).max(60).optional(),
  description: z.string().trim().min(2, 'describe what the department must do').max(2000),
  categoryCode: z.string().max(20).optional(),
  nodeId: idField.optional().describe('where it happens; defaults to the topic\'s grid or community'),
  urgent: z.boolean().optional(),
  photos: z.array(hash).max(9).default([]),
});
export const completeProjectBody = z.object({ note: z.string().trim().max(2000).default('').describe('what was built (建成说明)') });

export const projectSchema = z.object({
  id: z.number(), topicId: z.number(), planId: z.number().nullable(), title: z.string(), status: z.enum(['running', 'completed']),
  progress: z.number().describe('percent: the weighted average of the milestones'),
  startedAt: z.string(), completedAt: z.string().nullable(),
  departments: z.array(z.object({ id: z.number(), name: z.string() })),
  milestones: z.array(z.object({ id: z.number(), title: z.string(), weight: z.number(), progress: z.number(), dueOn: z.string().nullable(), doneAt: z.string().nullable() })),
  photos: z.array(z.object({ hash: z.string(), stage: z.enum(PROJECT_PHOTO_STAGES) })),
  matters: z.array(z.object({ id: z.number(), code: z.string(), title: z.string(), status: z.enum(MATTER_STATUSES), reportedAt: z.string(), closedAt: z.string().nullable() })),
  mayUpdate: z.boolean().describe('the viewer may report progress and photos (organisers and the owner departments\' handlers)'),
  mayOrganise: z.boolean(),
});
