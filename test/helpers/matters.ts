import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { login } from './app.ts';
import { PASSWORD } from './factory.ts';

/** A logged-in person who walks a story over HTTP, failing loudly on any unexpected refusal. */
export class Actor {
  private constructor(private readonly app: FastifyInstance, readonly username: string, private readonly headers: Record<string, string>) {}

  static async as(app: FastifyInstance, username: string, password = PASSWORD) {
    return new Actor(app, username, await login(app, username, password));
  }

  raw(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse> {
    return this.app.inject({ method, url, headers: this.headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
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

export interface MatterOut { id: number; code: string; status: string; stage: number; level: string; ownerNodeId: number; areaNodeId: number; dueAt: string | null; categoryId: number | null; urgent: boolean; closedOnTime: boolean | null; satisfaction: string | null; possibleDuplicateOf: number | null; mergedIntoId: number | null; counts: Record<string, number> }
export interface MatterDetail extends MatterOut {
  assignments: { id: number; role: string; targetKind: string; targetId: number; targetName: string; status: string; summoned: boolean }[];
  timeline: { action: string; actorRole: string | null; actorUserId: number | null; statusBefore: string | null; statusAfter: string | null; note: string | null; channel: string }[];
  photos: { hash: string; stage: string }[];
  requests: { id: number; kind: string; status: string }[];
  category: { code: string; name: string } | null;
}

/** A valid 1×1 PNG, so stories can attach a real photo through POST /api/files. */
export const PNG_1x1 = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2d2a4f30000000049454e44ae426082', 'hex');

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
