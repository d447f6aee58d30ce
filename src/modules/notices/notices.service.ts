import { notFound } from '../../core/errors.ts';
import type { RequestContext } from '../../core/scope.ts';
import type { AppDeps } from '../../deps.ts';
import { residentOfUser } from '../matters/matters.repository.ts';
import { assertMayReadNotices, type NoticeOwner, ownerOf } from './notices.policy.ts';
import * as repo from './notices.repository.ts';

/** In-app notices (站内消息): feedback on reported matters, deadline reminders. */
export class NoticesService {
  constructor(private readonly deps: AppDeps) {}

  async mine(ctx: RequestContext, q: { unreadOnly: boolean; limit: number }) {
    const owner = await this.owner(ctx);
    const items = await repo.listNotices(this.deps.db, owner, q);
    return { items, unread: await repo.countUnread(this.deps.db, owner) };
  }

  async markRead(ctx: RequestContext, id: number): Promise<void> {
    const owner = await this.owner(ctx);
    if ((await repo.markRead(this.deps.db, owner, id, new Date())) === 0) throw notFound(`Notice ${id}`);
  }

  /** A person's notices go to their account, and to the resident record their account is linked to. */
  private async owner(ctx: RequestContext): Promise<NoticeOwner> {
    const actor = assertMayReadNotices(ctx.actor);
    return ownerOf(actor, (await residentOfUser(this.deps.db, actor.userId))?.id ?? null);
  }
}
