import { AppError, notFound } from '../../core/errors.ts';
import type { RequestContext } from '../../core/scope.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { assertMayRevealReporter, assertMaySeeReporter, mayRevealReporter } from './matters.policy.ts';
import * as repo from './matters.repository.ts';
import { visibleMatter } from './matters.step.ts';

/** Where the reporter's name and number come from: given with the report, the resident record, the account. */
export type ReporterSource = 'contact' | 'resident' | 'account' | 'anonymous' | 'none';
type ContactRow = NonNullable<Awaited<ReturnType<typeof repo.reporterContact>>>;

/**
 * The reporter as the operator calls them back: a number given with the report (a call, a walk-in) first, then
 * the resident's own, then the reporting account's. An anonymous report names nobody and gives no number.
 */
export function pickContact(r: ContactRow): { source: ReporterSource; name: string | null; masked: string | null; enc: string | null } {
  if (r.reporter_anonymous) return { source: 'anonymous', name: null, masked: null, enc: null };
  const name = r.contact_name ?? r.resident_name ?? r.user_name ?? null;
  if (r.contact_phone_enc) return { source: 'contact', name, masked: r.contact_phone_masked, enc: r.contact_phone_enc };
  if (r.resident_phone_enc) return { source: 'resident', name, masked: r.resident_phone_masked, enc: r.resident_phone_enc };
  if (r.user_phone_enc) return { source: 'account', name, masked: r.user_phone_masked, enc: r.user_phone_enc };
  return { source: r.contact_name ? 'contact' : r.resident_id ? 'resident' : r.user_id ? 'account' : 'none', name, masked: null, enc: null };
}

/** The reporter of a matter, reachable (回访): masked by default; the full number with a reason, audited like a resident's. */
export class ReporterService {
  constructor(private readonly deps: AppDeps) {}

  private async load(ctx: RequestContext, id: number) {
    const { m } = await visibleMatter(this.deps.db, ctx, id);
    assertMaySeeReporter(ctx.actor, m);
    const row = await repo.reporterContact(this.deps.db, id);
    if (!row) throw notFound({ en: `Matter ${id}`, zh: `事件 ${id}` });
    return { m, contact: pickContact(row) };
  }

  async contact(ctx: RequestContext, id: number) {
    const { m, contact } = await this.load(ctx, id);
    return { source: contact.source, name: contact.name, phoneMasked: contact.masked, mayReveal: contact.enc !== null && mayRevealReporter(ctx.actor, m) };
  }

  /** The full number, once the reason is written down: the audit row commits before the number leaves. */
  async reveal(ctx: RequestContext, id: number, reason: string) {
    const { m, contact } = await this.load(ctx, id);
    assertMayRevealReporter(ctx.actor, m);
    if (contact.source === 'anonymous') throw new AppError('CONFLICT', { en: 'The report was made anonymously: there is no number to show.', zh: '这是匿名反映的，莫得号码可以看。' });
    if (!contact.enc) throw new AppError('NOT_FOUND', { en: 'The reporter left no phone number.', zh: '反映人没有留电话号码。' });
    await appendAudit(this.deps.db, ctx, { action: 'pii.reveal', subjectType: 'matter', subjectId: id, details: { fields: ['phone'], reason, source: contact.source } });
    return { source: contact.source, name: contact.name, phone: this.deps.vault.open(contact.enc) };
  }
}
