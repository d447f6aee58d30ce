import createClient, { type ClientPathsWithMethod, type FetchResponse, type MaybeOptionalInit } from 'openapi-fetch';
import { i18n } from '../i18n/index.ts';
import type { paths } from './schema';

/**
 * The typed client, generated from /openapi.json (npm run gen:api writes ./schema.d.ts). Same origin, the
 * session cookie rides along. `unwrap` turns an error body { error: { code, message } } into an ApiError.
 * Every call of the pages goes through it; names for the shapes are in ./types.ts. Files (photos, Excel
 * exports) are plain URLs and the live streams are EventSources, so neither needs a fetch helper.
 */
const client = createClient<paths>({ baseUrl: typeof location === 'undefined' ? 'http://localhost' : location.origin, credentials: 'same-origin' });

/** Every call says the page's current language, so the server's error messages come back in it (src/http/errors.ts). */
client.use({
  onRequest({ request }) {
    request.headers.set('accept-language', i18n.global.locale.value === 'en' ? 'en' : 'zh-CN,zh;q=0.9');
    return request;
  },
});

type Verb = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Init<P extends keyof paths, M extends Verb> = MaybeOptionalInit<paths[P], M>;
type Call<M extends Verb> = <P extends ClientPathsWithMethod<typeof client, M>>(
  url: P,
  ...init: undefined extends Init<P, M> ? [init?: Init<P, M>] : [init: Init<P, M>]
) => Promise<FetchResponse<paths[P][M] & Record<string | number, unknown>, Init<P, M>, `${string}/${string}`>>;

/**
 * openapi-fetch's own methods infer the options as a type parameter and accept any extra key, so a query
 * parameter or body field the server renamed or dropped would still compile. These take the options as the
 * schema spells them, so TypeScript checks every key of a literal against the generated types.
 */
export const api = {
  GET: client.GET as unknown as Call<'get'>,
  POST: client.POST as unknown as Call<'post'>,
  PUT: client.PUT as unknown as Call<'put'>,
  PATCH: client.PATCH as unknown as Call<'patch'>,
  DELETE: client.DELETE as unknown as Call<'delete'>,
};

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

/**
 * The body option for a multipart upload (photos, the people workbook). The schema declares no body for these
 * routes (they read the file stream themselves), so the form is passed through untyped; the answer stays typed.
 */
export const multipart = (form: FormData) => ({ body: form as never });

/** Uploads one photo; returns its content hash, which matter bodies take in `photos`. */
export async function uploadPhoto(file: Blob, name = 'photo.jpg'): Promise<string> {
  const form = new FormData();
  form.append('file', file, name);
  const r = await unwrap(api.POST('/api/files', multipart(form)));
  return r.hash;
}
