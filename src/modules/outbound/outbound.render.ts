import { z } from 'zod';
import { beijingMinute } from '../../core/beijing.ts';
import { publicText } from '../../core/matters/public.ts';

/**
 * What a delivery says, stored as facts when it is created and rendered when it is sent, so links use the
 * public base URL in force then and a retry after an operator fixes the target sends the same message.
 * A group is the public: the facts hold the public title and code, and the text is masked again when rendered.
 */
export const outcomeFacts = z.object({
  type: z.literal('matter_outcome'),
  matter: z.object({
    id: z.number(), code: z.string().describe('the internal code, for staff reading the delivery log'),
    publicCode: z.string().optional().describe('the public page\'s code; absent only in facts stored by an older release'),
    title: z.string().describe('the public title'), category: z.string().nullable(), note: z.string().nullable(),
    status: z.string(), closedAt: z.string(),
  }),
  /** Result photos (SHA-256 hashes), served publicly while the matter's outcome is public. */
  photos: z.array(z.string()),
});

export const broadcastFacts = z.object({
  type: z.literal('broadcast'),
  planId: z.number(), planName: z.string(), contentId: z.number(), title: z.string(), body: z.string(), theme: z.string().nullable(),
});

export const deliveryFacts = z.discriminatedUnion('type', [outcomeFacts, broadcastFacts]);
export type DeliveryFacts = z.infer<typeof deliveryFacts>;

/** The message in both plain text and WeCom markdown, with absolute links. */
export interface RenderedMessage {
  text: string;
  markdown: string;
  photos: string[];
  /** The matter by its public code (null in facts from before public codes). */
  matter: { code: string | null; status: string; closedAt: string } | null;
}

export interface GroupAddress { groupId: number; externalGroupId: string; platform: string }

/** WeCom group robots accept at most 4096 bytes of markdown content. */
export const WECOM_MARKDOWN_MAX_BYTES = 4096;

export const photoUrl = (publicUrl: string, hash: string) => `${publicUrl}/api/public/files/${hash}`;
export const matterPageUrl = (publicUrl: string, code: string) => `${publicUrl}/r/m/${encodeURIComponent(code)}`;

export function render(facts: DeliveryFacts, publicUrl: string): RenderedMessage {
  if (facts.type === 'broadcast') {
    const head = facts.theme ? `【宣传·${facts.theme}】${facts.title}` : `【宣传】${facts.title}`;
    return { text: `${head}\n${facts.body}`, markdown: `**${head}**\n${facts.body}`, photos: [], matter: null };
  }
  const m = facts.matter;
  const title = publicText(m.title) ?? '';
  const subject = m.category && m.category !== title ? `${m.category} · ${title}` : title;
  const note = publicText(m.note) ?? '已办结';
  const photos = facts.photos.map((h) => photoUrl(publicUrl, h));
  // The page is linked by its public code only; facts from before public codes go without a link rather than one that 404s.
  const code = m.publicCode ?? null;
  const page = code ? matterPageUrl(publicUrl, code) : null;
  const closed = beijingMinute(m.closedAt);
  const text = [
    `【办结反馈】${subject}`,
    `处理结果：${note}`,
    `办结时间：${closed}`,
    ...(photos.length ? [`现场照片：${photos.join(' ')}`] : []),
    ...(page ? [`办理详情（编号 ${code}）：${page}`] : []),
  ].join('\n');
  const markdown = [
    `**【办结反馈】**${subject}`,
    `> 处理结果：${note}`,
    `> 办结时间：<font color="comment">${closed}</font>`,
    ...(photos.length ? [photos.map((u, i) => `[现场照片${photos.length > 1 ? i + 1 : ''}](${u})`).join('  ')] : []),
    ...(page ? [`[查看办理详情（编号 ${code}）](${page})`] : []),
  ].join('\n');
  return { text, markdown, photos, matter: { code, status: m.status, closedAt: m.closedAt } };
}

/** Cuts a string to at most `max` UTF-8 bytes without splitting a character, marking the cut with '…'. */
export function truncateBytes(value: string, max: number): string {
  if (Buffer.byteLength(value) <= max) return value;
  let out = '';
  let bytes = Buffer.byteLength('…');
  for (const ch of value) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > max) break;
    out += ch;
    bytes += n;
  }
  return `${out}…`;
}

/** The WeCom group-robot body: { msgtype: 'markdown', markdown: { content } }. */
export function wecomBody(message: RenderedMessage): Record<string, unknown> {
  return { msgtype: 'markdown', markdown: { content: truncateBytes(message.markdown, WECOM_MARKDOWN_MAX_BYTES) } };
}

/** The generic webhook body; the delivery id lets a receiver drop the rare repeat (delivery is at-least-once). */
export function webhookBody(deliveryId: number, kind: string, to: GroupAddress, message: RenderedMessage): Record<string, unknown> {
  return {
    deliveryId, kind, groupId: to.groupId, externalGroupId: to.externalGroupId, platform: to.platform,
    text: message.text, markdown: message.markdown, matter: message.matter, photos: message.photos,
  };
}
