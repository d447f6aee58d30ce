import fc from 'fast-check';
import type { JsonSchema } from './openapi.ts';

/**
 * fast-check arbitraries generated from an endpoint's JSON Schema: `valid` values that satisfy it (so requests get
 * past validation to the service and the database), and `hostile` ones — a valid value with one part swapped for
 * something an attacker would send: NUL and lone surrogates, ids past int4 and 2^53, huge and empty strings, the wrong
 * type, odd nesting. Query and path values are generated as URL-encoded wire strings (`wireValid`, `wireHostile`).
 */

/** Existing values the generators draw from for fields they know by name (ids that exist, real photo hashes …). */
export type Pools = (field: string) => readonly (string | number)[] | undefined;

export const INT4 = 2 ** 31;

/** Strings no endpoint should answer 500 to. */
export const HOSTILE_STRINGS: readonly string[] = [
  '', ' ', '\u0000', 'a\u0000b', '\uD800', 'x\uDFFFy', '\uDBFF\uDBFF', '\uFFFE', '\u202Eabc', '😀'.repeat(3), 'é', '\r\nX-Injected: 1',
  "'; drop table users; --", '%s%n%x', '#{7*7}', `\${7*7}`, '../../../etc/passwd', '<script>alert(1)</script>', '\\', '"', '{"a":1}', '[]',
  'null', 'true', '-1', '0', '2147483648', '9007199254740993', '1e309', 'NaN', '0x10', '\t\v\f', '\u3000', '٣', 'Ａ',
];

const HUGE = ['A'.repeat(70_000), '中'.repeat(30_000), `${'a'.repeat(1_000)}\u0000`];

/** Numbers past what the columns hold, or not integers at all. */
export const HOSTILE_NUMBERS: readonly number[] = [
  INT4, INT4 - 1, INT4 + 1, 2 ** 32, -INT4 - 1, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e308, -1e308,
  Number.MIN_VALUE, -1, 0, -0, 0.5, 1.5, 3.000001, -180.0001, 90.5,
];

/** Values of the wrong type for any field. */
const WRONG_TYPES: readonly unknown[] = [null, true, false, 0, 1, -1, 1.5, '', '1', 'x', [], [1], [null], {}, { $gt: '' }, { id: 1 }, [[[]]]];

/** Query and path values as sent on the wire (already URL-encoded): hostile encodings included. */
export const HOSTILE_WIRE: readonly string[] = [
  '%00', 'a%00', '1%00', '%ED%A0%80', '%ED%BF%BF', '%C0%80', '%FF', '%ZZ', '%', '%2', '%E4%B8', '2147483648', '2147483647', '4294967296',
  '9007199254740993', '99999999999999999999999', '-1', '0', '-0', '00001', '1.5', '1e3', '1e309', '0x1F', 'Infinity', 'NaN', '',
  '%20', '+', '%2F..%2F..', '..', 'null', 'undefined', 'true', '%5B%5D', '%7B%7D', '%E4%B8%AD'.repeat(200), 'A'.repeat(5_000),
  '%27%20or%201%3D1%20--', '%0D%0ASet-Cookie:x=1', '1,2,3', '2026-02-30', '2026-13-01', '99999-01-01', '2026-01-01T00:00:00Z',
];

const CHINESE = [...'甲乙丙丁戊水电路灯楼道漏雨积破损噪音垃圾停车花园建新社区网格居民反映请处理'];
const text = (min: number, max: number) =>
  fc.string({ minLength: min, maxLength: max, unit: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...CHINESE) }, { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) }, { weight: 1, arbitrary: fc.constantFrom('1', '2', ' ', '-') }) });

const dateString = fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const dateTimeString = fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());

const lower = (s: JsonSchema) => (s.minimum === undefined ? undefined : s.exclusiveMinimum === true ? s.minimum + 1 : s.minimum);
const upper = (s: JsonSchema) => (s.maximum === undefined ? undefined : s.exclusiveMaximum === true ? s.maximum - 1 : s.maximum);

const variants = (s: JsonSchema): JsonSchema[] | undefined => s.anyOf ?? s.oneOf ?? (s.allOf && s.allOf.length === 1 ? s.allOf : undefined);

/** A value the schema accepts (as far as JSON Schema says; zod's own refinements may still refuse it). */
export function valid(schema: JsonSchema, pools: Pools, field = ''): fc.Arbitrary<unknown> {
  const base = validBase(schema, pools, field);
  return schema.nullable ? fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: base }) : base;
}

function validBase(s: JsonSchema, pools: Pools, field: string): fc.Arbitrary<unknown> {
  const vs = variants(s);
  if (vs) return fc.oneof(...vs.map((v) => valid(v, pools, field)));
  if (s.enum) return fc.constantFrom(...s.enum);
  const pool = pools(field);
  switch (s.type) {
    case 'string': {
      if (pool?.length) return fc.constantFrom(...pool.map(String));
      if (s.format === 'date') return dateString;
      if (s.format === 'date-time') return dateTimeString;
      if (s.format === 'uuid') return fc.uuid();
      if (s.format === 'uri') return fc.webUrl();
      const min = s.minLength ?? 0;
      const max = Math.min(s.maxLength ?? min + 40, min + 40);
      if (s.pattern) {
        const re = new RegExp(s.pattern, 'u');
        const matching = fc.stringMatching(re).filter((v) => v.length >= min && v.length <= (s.maxLength ?? Number.POSITIVE_INFINITY));
        // A loose pattern (\d{4}-\d{2}-\d{2}) mostly matches nonsense; real dates that fit it reach further.
        const shapes = [dateString, dateTimeString].filter((shape) => re.test(fc.sample(shape, { seed: 0, numRuns: 1 })[0] ?? ''));
        return shapes.length ? fc.oneof({ weight: 3, arbitrary: fc.oneof(...shapes) }, { weight: 1, arbitrary: matching }) : matching;
      }
      return text(min, max).map((v) => (v.trim().length >= min ? v : v.padEnd(min + 1, '甲').padStart(min + 2, '乙')));
    }
    case 'integer': {
      const min = lower(s) ?? -1000;
      const max = Math.min(upper(s) ?? 1_000_000, Math.max(min, 0) + 1_000_000);
      const ints = fc.integer({ min, max });
      if (pool?.length) return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...pool.map(Number)) }, { weight: 1, arbitrary: ints });
      return ints;
    }
    case 'number':
      return fc.double({ min: lower(s) ?? -1e6, max: upper(s) ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const min = s.minItems ?? 0;
      return fc.array(s.items ? valid(s.items, pools, field) : fc.jsonValue(), { minLength: min, maxLength: Math.min(s.maxItems ?? min + 3, min + 3) });
    }
    case 'object':
      return validObject(s, pools);
    default:
      // No type (z.unknown()): any JSON.
      return fc.jsonValue({ maxDepth: 3 });
  }
}

function validObject(s: JsonSchema, pools: Pools): fc.Arbitrary<Record<string, unknown>> {
  const props = s.properties ?? {};
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, v] of Object.entries(props)) shape[k] = valid(v, pools, k);
  return fc.record(shape, { requiredKeys: (s.required ?? []).filter((k) => k in props) }) as fc.Arbitrary<Record<string, unknown>>;
}

/** One hostile leaf for a field of this schema: the attacks that fit its type first, then any wrong type. */
export function hostileLeaf(s: JsonSchema): fc.Arbitrary<unknown> {
  const any = fc.oneof(fc.constantFrom(...WRONG_TYPES), fc.constantFrom(...HOSTILE_STRINGS), fc.constantFrom(...HOSTILE_NUMBERS));
  const type = s.type ?? (variants(s)?.[0]?.type);
  if (type === 'string') {
    return fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
      { weight: 2, arbitrary: fc.tuple(text(0, 8), fc.constantFrom('\u0000', '\uD800', '\uDC00', '\uFFFF'), text(0, 8)).map(([a, b, c]) => a + b + c) },
      { weight: 1, arbitrary: fc.constantFrom(...HUGE) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
      { weight: 2, arbitrary: any },
    );
  }
  if (type === 'integer' || type === 'number') {
    return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) }, { weight: 1, arbitrary: fc.constantFrom('1', '2147483648', '1e3', '') }, { weight: 2, arbitrary: any });
  }
  if (type === 'array') {
    return fc.oneof(
      { weight: 2, arbitrary: any },
      { weight: 1, arbitrary: fc.constant(Array.from({ length: (s.maxItems ?? 100) + 1 }, () => (s.items ? sampleValue(s.items) : 1))) },
      { weight: 1, arbitrary: fc.constant(Array.from({ length: 5_000 }, (_, i) => i)) },
      { weight: 2, arbitrary: fc.array(hostileLeaf(s.items ?? {}), { minLength: 1, maxLength: 3 }) },
    );
  }
  return any;
}

/** A value shaped like the schema with one part (or the whole) replaced by something hostile. */
export function hostile(s: JsonSchema, pools: Pools, field = ''): fc.Arbitrary<unknown> {
  const vs = variants(s);
  if (vs) return fc.oneof(hostileLeaf(s), ...vs.map((v) => hostile(v, pools, field)));
  if (s.type === 'object' && s.properties && Object.keys(s.properties).length > 0) {
    const props = s.properties;
    const keys = Object.keys(props);
    const junk = fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', '\u0000', '\uD800', ''), fc.string({ maxLength: 6 })), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
    return fc.oneof(
      // One field hostile, the others valid, so the hostile part is what the server meets.
      { weight: 6, arbitrary: fc.tuple(validObject(s, pools), fc.constantFrom(...keys)).chain(([base, k]) => hostile(props[k] ?? {}, pools, k).map((h) => ({ ...base, [k]: h }))) },
      // Every field hostile at once.
      { weight: 1, arbitrary: fc.record(Object.fromEntries(keys.map((k) => [k, hostileLeaf(props[k] ?? {})]))) },
      // Required fields left out, unknown ones added.
      { weight: 1, arbitrary: fc.tuple(validObject(s, pools), junk).map(([base, extra]) => ({ ...Object.fromEntries(Object.entries(base).slice(1)), ...extra })) },
      { weight: 1, arbitrary: fc.constantFrom(...WRONG_TYPES) },
    );
  }
  if (s.type === 'array' && s.items) {
    return fc.oneof(
      { weight: 3, arbitrary: fc.array(hostile(s.items, pools, field), { minLength: 1, maxLength: 3 }) },
      { weight: 2, arbitrary: hostileLeaf(s) },
    );
  }
  return hostileLeaf(s);
}

/** Mostly valid, often hostile: what a fuzzed field gets. */
export function fuzzed(s: JsonSchema, pools: Pools, field = '', hostileShare = 0.6): fc.Arbitrary<unknown> {
  const h = Math.round(hostileShare * 10);
  if (h <= 0) return valid(s, pools, field);
  if (h >= 10) return hostile(s, pools, field);
  return fc.oneof({ weight: 10 - h, arbitrary: valid(s, pools, field) }, { weight: h, arbitrary: hostile(s, pools, field) });
}

/**
 * encodeURIComponent, except that a lone surrogate (which it refuses) goes out as the three bytes a careless
 * encoder would write for it (%ED%A0%80 …): invalid UTF-8 the server must survive.
 */
export function encodeWire(v: string): string {
  let out = '';
  for (const ch of v) {
    const c = ch.charCodeAt(0);
    // Iterating a string yields whole code points; a one-unit surrogate here is a lone one.
    out += ch.length === 1 && c >= 0xd800 && c <= 0xdfff
      ? [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('')
      : encodeURIComponent(ch);
  }
  return out;
}

/** A valid query or path value as it goes on the wire. */
export function wireValid(s: JsonSchema, pools: Pools, field: string): fc.Arbitrary<string> {
  return valid(s, pools, field).map((v) => encodeWire(v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v)));
}

/** A hostile query or path value as it goes on the wire (raw encodings the URL parser must survive). */
export function wireHostile(s: JsonSchema, pools: Pools, field: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_WIRE) },
    { weight: 2, arbitrary: hostileLeaf(s).map((v) => encodeWire(typeof v === 'string' ? v : JSON.stringify(v) ?? '')) },
    { weight: 1, arbitrary: wireValid(s, pools, field).map((v) => `${v}%00`) },
  );
}

/** Raw bodies no JSON endpoint should answer 500 to: broken, deep, huge, or not JSON at all. */
export const HOSTILE_RAW_BODIES: readonly string[] = [
  '', ' ', '{', '}', '{"a":', '[', 'null', 'true', '0', '-1', '"x"', '[]', '[{}]', '{}', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}',
  `${'['.repeat(5_000)}${']'.repeat(5_000)}`, `${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}`, '{"a":1,"a":2}', '\uFEFF{}', '{"a":"\\u0000"}', '{"a":"\\ud800"}',
  '{"a":1e999}', '{"a":-0}', `{"a":"${'x'.repeat(200_000)}"}`, '\u0000', 'NaN', '{a:1}', "{'a':1}", '{"a":1}garbage', '%7B%7D',
];

/** Content types to send JSON-ish bodies under: the parser must refuse what it does not take with 4xx. */
export const ODD_CONTENT_TYPES: readonly string[] = [
  'application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'text/plain',
  'application/x-www-form-urlencoded', 'application/octet-stream', 'text/xml', 'application/json-patch+json', '*/*', 'application/JSON', 'application',
  'multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; boundary=x', 'application/json\u0000',
];

/** Multipart bodies, broken in the ways a client or an attacker breaks them. Each gives its content type. */
export function multipartBodies(file: Buffer): { contentType: string; body: Buffer | string }[] {
  const b = 'fuzzboundary';
  const part = (head: string, content: Buffer | string) => Buffer.concat([Buffer.from(`--${b}\r\n${head}\r\n\r\n`), Buffer.from(content), Buffer.from('\r\n')]);
  const end = Buffer.from(`--${b}--\r\n`);
  const ct = `multipart/form-data; boundary=${b}`;
  const fileHead = (name = 'file', filename = 'photo.png', type = 'image/png') => `Content-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}`;
  return [
    { contentType: ct, body: Buffer.concat([part(fileHead(), file), end]) },
    { contentType: ct, body: Buffer.concat([part(fileHead(), file)]) }, // no closing boundary
    { contentType: ct, body: Buffer.concat([part(fileHead(), file), part(fileHead(), file), end]) }, // two files
    { contentType: ct, body: Buffer.concat([part('Content-Disposition: form-data; name="note"', 'just a field'), end]) }, // no file at all
    { contentType: ct, body: Buffer.concat([part(fileHead('file', 'a\u0000b.png'), file), end]) },
    { contentType: ct, body: Buffer.concat([part(fileHead('file', '\uD800.png'), file), end]) },
    { contentType: ct, body: Buffer.concat([part(fileHead('\u0000'), file), end]) },
    { contentType: ct, body: Buffer.concat([part(fileHead('file', 'x.png', 'image/png\u0000'), file), end]) },
    { contentType: ct, body: Buffer.concat([part(fileHead(), Buffer.alloc(0)), end]) }, // empty file
    { contentType: ct, body: Buffer.concat([part(fileHead(), Buffer.from('not an image at all')), end]) },
    { contentType: ct, body: Buffer.concat([part(fileHead('file', '../../etc/passwd'), file), end]) },
    { contentType: ct, body: `--${b}\r\nContent-Disposition: form-data; name="file"; filename="x"\r\n` }, // headers cut short
    { contentType: ct, body: `--${b}\r\nContent-Disposition\r\n\r\nx\r\n--${b}--\r\n` }, // malformed header
    { contentType: ct, body: 'garbage with no boundary at all' },
    { contentType: ct, body: '' },
    { contentType: 'multipart/form-data', body: Buffer.concat([part(fileHead(), file), end]) }, // no boundary parameter
    { contentType: 'multipart/form-data; boundary=other', body: Buffer.concat([part(fileHead(), file), end]) }, // wrong boundary
    { contentType: `multipart/form-data; boundary=${'x'.repeat(200)}`, body: 'x' },
    { contentType: 'multipart/mixed; boundary=fuzzboundary', body: Buffer.concat([part(fileHead(), file), end]) },
  ];
}

/** One fixed valid value of a schema (the first fast-check would give for seed 0). */
export function sampleValue(s: JsonSchema, pools: Pools = () => undefined, field = ''): unknown {
  return fc.sample(valid(s, pools, field), { seed: 0, numRuns: 1 })[0];
}
