import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';

/**
 * The API as the guard tests see it: every operation the app's own /openapi.json documents, with the JSON Schemas
 * of its path, query and body. The access matrix and the fuzzer walk this list, so an endpoint a new module adds is
 * guarded the moment it is registered, without new test code.
 */

/** The subset of JSON Schema (OpenAPI 3.0 flavour, as fastify-type-provider-zod emits it) the generators read. */
export interface JsonSchema {
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';
  enum?: unknown[];
  nullable?: boolean;
  default?: unknown;
  description?: string;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  exclusiveMaximum?: boolean | number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchema;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Operation {
  /** 'POST /api/matters/{id}/register': how findings, budgets and exceptions name an operation. */
  key: string;
  method: Method;
  /** The OpenAPI path, with {name} placeholders. */
  path: string;
  summary: string;
  pathParams: Parameter[];
  query: Parameter[];
  /** The JSON body's schema; null when the operation documents none (no body, a raw or a multipart one). */
  body: JsonSchema | null;
  bodyRequired: boolean;
  /** Reads change nothing: GET (and HEAD). Everything else is a write. */
  write: boolean;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { summary?: string; parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[]; requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> } }>>;
}

/** Every documented operation of the app, read from its /openapi.json exactly as a client would. */
export async function loadOperations(app: FastifyInstance): Promise<Operation[]> {
  const res = await app.inject({ method: 'GET', url: '/openapi.json' });
  if (res.statusCode !== 200) throw new Error(`GET /openapi.json → ${res.statusCode}`);
  const doc = res.json() as OpenApiDocument; // the OpenAPI 3.0 document @fastify/swagger builds
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(methods)) {
      const method = m.toUpperCase() as Method; // the keys of a path item are HTTP methods
      const params = (op.parameters ?? []).map((p) => ({ name: p.name, in: p.in as Parameter['in'], required: p.required ?? p.in === 'path', schema: p.schema ?? {} }));
      out.push({
        key: `${method} ${path}`,
        method,
        path,
        summary: op.summary ?? '',
        pathParams: params.filter((p) => p.in === 'path'),
        query: params.filter((p) => p.in === 'query'),
        body: op.requestBody?.content?.['application/json']?.schema ?? null,
        bodyRequired: op.requestBody?.required ?? false,
        write: method !== 'GET',
      });
    }
  }
  return out;
}

/** One request on the wire. Path and query values are already URL-encoded, so hostile encodings (%00, %ZZ) survive. */
export interface WireRequest {
  method: Method;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer | FormData;
}

export function urlOf(op: Operation, path: Record<string, string>, query: [string, string][] = []): string {
  const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = path[name];
    if (v === undefined) throw new Error(`${op.key}: no value for path parameter ${name}`);
    return v;
  });
  return query.length ? `${url}?${query.map(([k, v]) => `${k}=${v}`).join('&')}` : url;
}

export interface WireResponse {
  status: number;
  contentType: string;
  body: string;
  /** The server's request id, when the error body carries one (INTERNAL does). */
  requestId: string | null;
}

/**
 * Sends one request. Bodies are read as streams so that an endpoint answering with an open event stream
 * (text/event-stream) gives its first bytes and is then hung up on, instead of holding the test forever.
 */
export async function send(app: FastifyInstance, req: WireRequest): Promise<WireResponse> {
  const res = await app.inject({ method: req.method, url: req.url, headers: req.headers, payload: req.payload, payloadAsStream: true });
  const stream = res.stream();
  const contentType = String(res.headers['content-type'] ?? '');
  const body = contentType.startsWith('text/event-stream') ? await firstChunk(stream) : await textOf(await readAll(stream), contentType);
  let requestId: string | null = null;
  if (res.statusCode >= 500) {
    try {
      requestId = (JSON.parse(body) as { error?: { details?: { requestId?: string } } }).error?.details?.requestId ?? null; // our error shape
    } catch {
      requestId = null;
    }
  }
  return { status: res.statusCode, contentType, body, requestId };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  return Buffer.concat(chunks);
}

/** The text a body carries: a workbook's cells (its bytes are zipped, so a leak would not show in them), else UTF-8. */
async function textOf(bytes: Buffer, contentType: string): Promise<string> {
  if (!contentType.includes('spreadsheetml') || bytes.length === 0) return bytes.toString('utf8');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(new Uint8Array(bytes).buffer);
  } catch {
    return bytes.toString('utf8');
  }
  const cells: string[] = [];
  wb.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text)))));
  return cells.join('\n');
}

async function firstChunk(stream: NodeJS.ReadableStream & { destroy?: () => void }): Promise<string> {
  const chunk = await new Promise<string>((resolve) => {
    const timer = setTimeout(() => resolve(''), 200);
    stream.once('data', (c: Buffer | string) => {
      clearTimeout(timer);
      resolve(Buffer.isBuffer(c) ? c.toString('utf8') : c);
    });
  });
  stream.destroy?.();
  return chunk;
}
