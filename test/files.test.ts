import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilesService } from '../src/modules/files/files.service.ts';
import { createTestApp, expectError, login, type TestApp } from './helpers/app.ts';
import { PASSWORD, seedTown } from './helpers/factory.ts';

const MiB = 1024 * 1024;

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real PNG: 3×2 RGB pixels, each scanline prefixed by filter byte 0. */
function tinyPng(seed = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(3, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit depth, truecolour, deflate, no filter, no interlace
  const row = (r: number) => Buffer.from([0, r, seed, 0, r, seed, 0, r, seed, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(Buffer.concat([row(255), row(0)]))), pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A real baseline JPEG, 5×4 grey: JFIF header, a flat quantisation table, one-code Huffman tables and
 * a single 8×8 block whose DC difference and AC end-of-block are both the 1-bit code '0'.
 */
function tinyJpeg(): Buffer {
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

/** Headers only: the type and size are read from the first bytes, the rest is opaque to the server. */
const webpVp8x = () => Buffer.concat([Buffer.from('RIFF\x16\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00', 'latin1'), Buffer.from([0x3f, 0x01, 0x00, 0xef, 0x00, 0x00])]);
const ftyp = (major: string, ...compatible: string[]) => {
  const body = Buffer.from(`ftyp${major}\x00\x00\x00\x00${compatible.join('')}`, 'latin1');
  const size = Buffer.alloc(4);
  size.writeUInt32BE(body.length + 4);
  return Buffer.concat([size, body, Buffer.from('....meta-and-image-data', 'latin1')]);
};
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function upload(data: Buffer, filename = 'photo.jpg', type = 'image/jpeg'): FormData {
  const form = new FormData();
  form.append('file', new Blob([data], { type }), filename);
  return form;
}

describe('photo storage', () => {
  let t: TestApp;
  let worker: Record<string, string>;
  let centre: Record<string, string>;
  const post = (data: Buffer, headers: Record<string, string> = worker, filename?: string, type?: string) =>
    t.app.inject({ method: 'POST', url: '/api/files', headers, payload: upload(data, filename, type) });
  const get = (hash: string, headers: Record<string, string> = worker) => t.app.inject({ method: 'GET', url: `/api/files/${hash}`, headers });
  const rows = async () => (await t.deps.db.selectFrom('files').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  /** Every entry under the files folder, temporary files included, so a failed upload must leave none. */
  const onDisk = async () => (await readdir(t.deps.config.filesDir, { recursive: true })).sort();

  beforeAll(async () => {
    t = await createTestApp();
    await seedTown(t.deps);
    worker = await login(t.app, 't_worker11', PASSWORD);
    centre = await login(t.app, 't_centre', PASSWORD);
  });
  afterAll(() => t.close());

  it('stores a PNG and a JPEG by content hash and reads them back byte for byte', async () => {
    for (const [data, mime, width, height] of [[tinyPng(), 'image/png', 3, 2], [tinyJpeg(), 'image/jpeg', 5, 4]] as const) {
      // The client's claimed type and name are ignored; the content decides.
      const res = await post(data, worker, 'upload.bin', 'application/octet-stream');
      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual({ hash: sha256(data), mime, size: data.length, width, height, created: true });
      expect(await onDisk()).toContain(join(sha256(data).slice(0, 2), sha256(data)));

      const back = await get(sha256(data), centre); // any signed-in user may read it for now
      expect(back.statusCode).toBe(200);
      expect(back.rawPayload.equals(data)).toBe(true);
      expect(back.headers['content-type']).toBe(mime);
      expect(back.headers['cache-control']).toBe('private, max-age=31536000, immutable');
      expect(back.headers['x-content-type-options']).toBe('nosniff');
    }
    const row = await t.deps.db.selectFrom('files').selectAll().where('hash', '=', sha256(tinyJpeg())).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ mime: 'image/jpeg', size: tinyJpeg().length, width: 5, height: 4 });
    expect(row.uploaded_by).toEqual(expect.any(Number));
  });

  it('stores the same content once and answers the second upload with the same hash', async () => {
    const data = tinyPng(7);
    const first = await post(data);
    expect(first.statusCode).toBe(201);
    const before = { rows: await rows(), disk: await onDisk() };
    const second = await post(data, centre, 'again.png', 'image/png');
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ hash: first.json().hash, created: false });
    expect({ rows: await rows(), disk: await onDisk() }).toEqual(before);
    const files = new FilesService(t.deps);
    expect(await files.exists(first.json().hash)).toBe(true);
    expect(await files.exists('0'.repeat(64))).toBe(false);
    expect(await files.exists('not-a-hash')).toBe(false);
  });

  it('recognises WebP and HEIC by their headers and refuses AVIF', async () => {
    const webp = await post(webpVp8x(), worker, 'x.jpg');
    expect(webp.json()).toMatchObject({ mime: 'image/webp', width: 320, height: 240 });
    expect((await post(ftyp('heic', 'mif1', 'heic'), worker, 'IMG_0001.HEIC')).json()).toMatchObject({ mime: 'image/heic', width: null, height: null });
    expect((await post(ftyp('mif1', 'mif1', 'miaf'))).json()).toMatchObject({ mime: 'image/heif' });
    expectError(await post(ftyp('mif1', 'mif1', 'avif')), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a PDF named .jpg, an upload over 10 MiB and an empty file, storing nothing', async () => {
    const before = { rows: await rows(), disk: await onDisk() };
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    expectError(await post(pdf, worker, 'photo.jpg', 'image/jpeg'), 415, 'UNSUPPORTED_MEDIA_TYPE');

    const huge = Buffer.alloc(10 * MiB + 1);
    tinyPng().copy(huge); // a PNG header, so only the size is wrong
    const tooBig = await post(huge);
    expectError(tooBig, 413, 'PAYLOAD_TOO_LARGE');
    expect(tooBig.json().error.message).toMatch(/10 MiB/);

    expectError(await post(Buffer.alloc(0)), 400, 'VALIDATION_FAILED');
    const noFile = new FormData();
    noFile.append('note', 'no photo here');
    expectError(await t.app.inject({ method: 'POST', url: '/api/files', headers: worker, payload: noFile }), 400, 'VALIDATION_FAILED');
    expect({ rows: await rows(), disk: await onDisk() }).toEqual(before);
  });

  it('accepts a photo of exactly 10 MiB', async () => {
    const limit = Buffer.alloc(10 * MiB, 1);
    tinyJpeg().copy(limit);
    const res = await post(limit);
    expect(res.statusCode).toBe(201);
    expect(res.json().size).toBe(10 * MiB);
  });

  it('turns away anonymous callers and answers 404 for unknown or malformed hashes', async () => {
    const before = await rows();
    expectError(await post(tinyPng(99), {}), 401, 'UNAUTHENTICATED');
    expect(await rows()).toBe(before);
    const known = sha256(tinyPng());
    expectError(await get(known, {}), 401, 'UNAUTHENTICATED');
    expectError(await get('f'.repeat(64)), 404, 'NOT_FOUND');
    for (const bad of ['abc', known.toUpperCase(), `${known}0`, '..%2F..%2Fetc%2Fpasswd']) expectError(await get(bad), 404, 'NOT_FOUND');
  });
});
