import createClient from 'openapi-fetch';
import type { paths } from './schema';

/**
 * The typed client, generated from /openapi.json (npm run gen:api writes ./schema.d.ts). Same origin, the
 * session cookie rides along. `unwrap` turns an error body { error: { code, message } } into an ApiError.
 */
export const api = createClient<paths>({ baseUrl: typeof location === 'undefined' ? 'http://localhost' : location.origin, credentials: 'same-origin' });

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: unknown = null) {
    super(message);
  }
}

interface Result<T> { data?: T; error?: unknown; response: Response }

/** Returns the data of a 2xx answer or throws an ApiError with the server's stable code and message. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let r: Result<T>;
  try {
    r = await call;
  } catch (e) {
    throw new ApiError(0, 'NETWORK', (e as Error).message || 'network error');
  }
  if (r.response.ok) return r.data as T;
  const body = (r.error ?? {}) as { error?: { code?: string; message?: string; details?: unknown } };
  throw new ApiError(r.response.status, body.error?.code ?? `HTTP_${r.response.status}`, body.error?.message ?? r.response.statusText, body.error?.details ?? null);
}

/** For endpoints the generated types cannot express (multipart uploads, files, SSE), plain fetch with the same errors. */
export async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', (e as Error).message || 'network error');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new ApiError(res.status, data?.error?.code ?? `HTTP_${res.status}`, data?.error?.message ?? res.statusText, data?.error?.details ?? null);
  return data as T;
}

/** Uploads one photo; returns its content hash, which matter bodies take in `photos`. */
export async function uploadPhoto(file: Blob, name = 'photo.jpg'): Promise<string> {
  const form = new FormData();
  form.append('file', file, name);
  const r = await request<{ hash: string }>('POST', '/api/files', form);
  return r.hash;
}
