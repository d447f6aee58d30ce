import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { login } from './app.ts';
import { PASSWORD } from './factory.ts';

/** A logged-in person who walks a story over HTTP, failing loudly on any unexpected refusal. */
export class Actor {
  private constructor(private readonly appOf: () => FastifyInstance, readonly username: string, private readonly headers: Record<string, string>) {}

  static async as(app: FastifyInstance, username: string, password = PASSWORD) {
    const headers = await login(app, username, password);
    return new Actor(() => app, username, headers);
  }

  /**
   * An actor on the app `appOf` returns, whose session `headers` are filled in place before its first request:
   * useTestTown's actors(), declared with the test file and logged in by its set-up.
   */
  static withSession(appOf: () => FastifyInstance, username: string, headers: Record<string, string>) {
    return new Actor(appOf, username, headers);
  }

  raw(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse> {
    return this.appOf().inject({ method, url, headers: this.headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  }

  async ok<T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown): Promise<T> {
    const res = await this.raw(method, url, payload);
    if (res.statusCode >= 300) throw new Error(`${this.username} ${method} ${url} → ${res.statusCode} ${res.body}`);
    // The caller names the shape it goes on to assert; a 204 has no body.
    return (res.body ? res.json() : undefined) as T;
  }

  step(id: number, step: string, payload: unknown = {}) {
    return this.ok<MatterOut>('POST', `/api/matters/${id}/${step}`, payload);
  }

  matter(id: number) {
    return this.ok<MatterDetail>('GET', `/api/matters/${id}`);
  }
}

export interface MatterOut { id: number; code: string; publicCode: string; title: string; status: string; stage: number; level: string; ownerNodeId: number; areaNodeId: number; dueAt: string | null; categoryId: number | null; urgent: boolean; closedOnTime: boolean | null; satisfaction: string | null; possibleDuplicateOf: number | null; mergedIntoId: number | null; counts: Record<string, number> }
export interface MatterDetail extends MatterOut {
  assignments: { id: number; role: string; targetKind: string; targetId: number; targetName: string; status: string; summoned: boolean }[];
  timeline: { action: string; actorRole: string | null; actorUserId: number | null; statusBefore: string | null; statusAfter: string | null; note: string | null; channel: string }[];
  photos: { hash: string; stage: string }[];
  requests: { id: number; kind: string; status: string }[];
  category: { code: string; name: string } | null;
}

/** A valid 1×1 PNG, so stories can attach a real photo through POST /api/files. */
export const PNG_1x1 = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2d2a4f30000000049454e44ae426082', 'hex');

/**
 * A real baseline JPEG, 5×4 grey: JFIF header, a flat quantisation table, one-code Huffman tables and
 * a single 8×8 block whose DC difference and AC end-of-block are both the 1-bit code '0'.
 */
export function tinyJpeg(): Buffer {
  const segment = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
  const oneCodeTable = (tableClass: number) => [tableClass, 1, ...new Array(15).fill(0), 0];
  return Buffer.from([
    0xff, 0xd8,
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...segment(0xdb, [0, ...new Array(64).fill(1)]),
    ...segment(0xc0, [8, 0, 4, 0, 5, 1, 1, 0x11, 0]), // height 4, width 5, one component
    ...segment(0xc4, oneCodeTable(0x00)),
    ...segment(0xc4, oneCodeTable(0x10)),
    ...segment(0xda, [1, 1, 0, 0, 0x3f, 0]),
    0x3f, // bits 00 (DC 0, EOB) padded with ones
    0xff, 0xd9,
  ]);
}

export async function uploadPhoto(app: FastifyInstance, headers: Record<string, string>, bytes: Buffer = PNG_1x1): Promise<string> {
  const boundary = '----dualgridtest';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo.png"\r\nContent-Type: image/png\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await app.inject({ method: 'POST', url: '/api/files', headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
  if (res.statusCode >= 300) throw new Error(`upload failed: ${res.statusCode} ${res.body}`);
  return res.json().hash;
}
