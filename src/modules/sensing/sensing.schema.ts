import { z } from 'zod';
import { idParam } from '../../core/fields.ts';

export const idParams = z.object({ id: idParam });

const LABEL_SOURCES = ['to_matter', 'handled_in_group', 'dismissed', 'category_corrected', 'urgent_raised', 'urgent_cleared'] as const;

export const labelsQuery = z.object({
  source: z.enum(LABEL_SOURCES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const reasonBody = z.object({ reason: z.string().trim().min(1).max(500) });

// ---- responses ----
export const labelSchema = z.object({
  id: z.number(), messageId: z.number().nullable(), text: z.string(), actionable: z.boolean(), urgentKind: z.string().nullable(),
  categoryCode: z.string().nullable(), source: z.enum(LABEL_SOURCES), decidedBy: z.number().nullable(), decidedAt: z.string(),
});

const figures = z.object({
  n: z.number(), recall: z.number(), precision: z.number(), f1: z.number(), urgentRecall: z.number(), urgentAnyRecall: z.number().optional(), urgentN: z.number().optional(),
  urgentFalseRate: z.number(), categoryAccuracy: z.number(), perKind: z.record(z.string(), z.object({ n: z.number(), found: z.number() })),
});
export const modelSchema = z.object({
  id: z.number(), version: z.number(), status: z.enum(['candidate', 'current', 'retired', 'rejected']), engine: z.string(),
  params: z.record(z.string(), z.unknown()),
  training: z.object({
    baseSetHash: z.string().nullable(), baseLines: z.number(), townLabels: z.number(), maxLabelId: z.number().nullable(),
    trainLines: z.number(), heldOutLines: z.number(),
  }).describe('what it was trained on; held-out lines were kept out of training to measure it'),
  figures: z.object({
    candidate: figures.nullable().describe('this version on the held-out lines'),
    current: figures.nullable().describe('the version that was current then, on the same lines (null for the base model)'),
    decision: z.enum(['base', 'promoted', 'rejected']),
  }),
  reason: z.string().nullable(), createdBy: z.number().nullable(), createdAt: z.string(), promotedAt: z.string().nullable(),
});
export const retrainQueued = z.object({ jobId: z.number() });
