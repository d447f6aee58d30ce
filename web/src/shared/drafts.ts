import { createStore, del, entries, set } from 'idb-keyval';
import { ref } from 'vue';
import { ApiError, api, unwrap, uploadPhoto } from '../api/client.ts';
import type { Body, NewMatter, NewVisit } from '../api/types.ts';
import { errorText } from './errors.ts';

/**
 * The offline draft queue of the phone pages: a matter, a visit or a resident's topic (议题) that could not be sent is kept in IndexedDB with
 * its photos as Blobs, and sent when the network returns (an `online` event, the next page load, or "retry").
 * Each draft carries a clientId (uuid) the server treats as an idempotency key, so re-sending a draft whose answer
 * was lost never makes a second matter, visit or topic.
 */
export type MatterDraftBody = Omit<NewMatter, 'photos' | 'clientId'> & { source: 'patrol' | 'visit'; channel: 'phone' };
export type VisitDraftBody = Omit<NewVisit, 'photos' | 'clientId'> & { note: string; at: string };
/** A topic takes no photos; its draft keeps an empty list so every draft has the same shape. */
export type TopicDraftBody = Omit<Body<'/api/topics', 'post'>, 'clientId'>;

interface DraftBase { clientId: string; createdAt: string; photos: Blob[]; userId: number; lastError?: string }
export type Draft = (DraftBase & { kind: 'matter'; body: MatterDraftBody }) | (DraftBase & { kind: 'visit'; body: VisitDraftBody }) | (DraftBase & { kind: 'topic'; body: TopicDraftBody });
type Fresh<T> = T extends unknown ? Omit<T, 'createdAt' | 'lastError'> : never;
export type NewDraft = Fresh<Draft>;
type Sendable<T = Draft> = T extends Draft ? Pick<T, 'kind' | 'body' | 'photos' | 'clientId'> : never;

export interface SentDraft { kind: Draft['kind']; clientId: string; id: number; code?: string }

const store = createStore('dualgrid-drafts', 'drafts');

/** Drafts waiting on this phone; `sending` while a flush runs; `sent` grows as drafts go out (for toasts and tests). */
export const drafts = ref<Draft[]>([]);
export const sending = ref(false);
export const sent = ref<SentDraft[]>([]);

/** A v4 uuid; crypto.randomUUID needs a secure context, which a phone on http:// over the LAN is not. */
export function newClientId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
export const isNetworkError = (e: unknown): boolean => e instanceof ApiError && e.status === 0;

export async function refreshDrafts(): Promise<Draft[]> {
  const all = (await entries<string, Draft>(store)).map(([, d]) => d);
  drafts.value = all.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return drafts.value;
}

export async function saveDraft(d: NewDraft): Promise<void> {
  await set(d.clientId, { ...d, createdAt: new Date().toISOString() } as Draft, store);
  await refreshDrafts();
}

export async function discardDraft(clientId: string): Promise<void> {
  await del(clientId, store);
  await refreshDrafts();
}

/** Uploads the photos, then posts the matter or visit with its clientId; throws ApiError as the server answers. */
export async function sendDraft(d: Sendable): Promise<SentDraft> {
  const hashes: string[] = [];
  for (const [i, blob] of d.photos.entries()) hashes.push(await uploadPhoto(blob, `photo-${i + 1}.jpg`)); // same bytes, same hash: safe to repeat
  if (d.kind === 'matter') {
    const m = await unwrap(api.POST('/api/matters', { body: { ...d.body, photos: hashes, clientId: d.clientId } }));
    return { kind: 'matter', clientId: d.clientId, id: m.id, code: m.code };
  }
  if (d.kind === 'topic') {
    const topic = await unwrap(api.POST('/api/topics', { body: { ...d.body, clientId: d.clientId } }));
    return { kind: 'topic', clientId: d.clientId, id: topic.id };
  }
  const v = await unwrap(api.POST('/api/visits', { body: { ...d.body, photos: hashes, clientId: d.clientId } }));
  return { kind: 'visit', clientId: d.clientId, id: v.id };
}

let running: Promise<SentDraft[]> | null = null;

/**
 * Sends every waiting draft of this user, oldest first, one at a time. Stops at the first network failure (still
 * offline) or when the session is gone; a draft the server refuses (4xx) stays with its error for the user to see.
 */
export function flushDrafts(userId: number | null): Promise<SentDraft[]> {
  if (running) return running;
  running = (async () => {
    sending.value = true;
    const done: SentDraft[] = [];
    try {
      for (const d of await refreshDrafts()) {
        if (userId === null || d.userId !== userId) continue;
        try {
          const r = await sendDraft(d);
          await del(d.clientId, store);
          done.push(r);
          sent.value = [...sent.value, r];
        } catch (e) {
          if (isNetworkError(e) || (e instanceof ApiError && (e.status === 401 || e.status >= 500))) break;
          await set(d.clientId, { ...d, lastError: errorText(e) } satisfies Draft, store);
        }
      }
    } finally {
      await refreshDrafts().catch(() => undefined);
      sending.value = false;
      running = null;
    }
    return done;
  })();
  return running;
}

let started = false;
/** Flushes now and whenever the browser says the network is back. */
export function startDraftSync(userId: () => number | null): void {
  if (started) return;
  started = true;
  window.addEventListener('online', () => void flushDrafts(userId()));
  void flushDrafts(userId());
}

/** Shrinks a camera photo on the phone before upload (≤ 1600 px on the long side, JPEG 0.8), so a 4G upload is quick. */
export async function compressPhoto(file: Blob, maxSide = 1600, quality = 0.8): Promise<Blob> {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
    if (scale === 1 && file.type === 'image/jpeg' && file.size < 600_000) return file;
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const out = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
    return out ?? file;
  } catch {
    return file;
  }
}
