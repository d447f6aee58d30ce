import { z } from 'zod';
import { isMobile } from '../../core/pii.ts';
import { meSchema } from './access.schema.ts';

/** 11-digit mainland mobiles, spaces, dashes and +86 allowed (the service normalises them). */
const phone = z.string().trim().max(20).refine(isMobile, 'must be an 11-digit mainland mobile number');

export const phoneCodeBody = z.object({ phone });
export const phoneVerifyBody = z.object({ phone, code: z.string().trim().regex(/^\d{6}$/, 'must be the 6 digits from the text message') });

export const phoneCodeSchema = z.object({
  phone: z.string().describe('the number, masked'),
  mode: z.enum(['webhook', 'demo']),
  expiresInSeconds: z.number(),
  resendAfterSeconds: z.number(),
  demoCode: z.string().optional().describe('only in demo SMS mode (no gateway configured): the code itself'),
});

export const phoneLoginSchema = meSchema.extend({ newAccount: z.boolean().describe('true when this sign-in created the account') });
