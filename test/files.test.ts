import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FilesService } from '../src/modules/files/files.service.ts';
import { expectError } from './helpers/app.ts';
import { type MatterOut, tinyJpeg } from './helpers/matters.ts';
import { useTestTown } from './helpers/town.ts';

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
  const t = useTestTown();
  const [worker, centre] = t.sessions('t_worker11', 't_centre');
  const post = (data: Buffer, headers: Record<string, string> = worker, filename?: string, type?: string) =>
    t.app.inject({ method: 'POST', url: '/api/files', headers, payload: upload(data, filename, type) });
  const get = (hash: string, headers: Record<string, string> = worker) => t.app.inject({ method: 'GET', url: `/api/files/${hash}`, headers });
  const rows = async () => (await t.deps.db.selectFrom('files').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  /** Every entry under the files folder, temporary files included, so a failed upload must leave none. */
  const onDisk = async () => (await readdir(t.deps.config.filesDir, { recursive: true })).sort();

  it('stores a PNG and a JPEG by content hash and reads them back byte for byte', async () => {
    for (const [data, mime, width, height] of [[tinyPng(), 'image/png', 3, 2], [tinyJpeg(), 'image/jpeg', 5, 4]] as const) {
      // The client's claimed type and name are ignored; the content decides.
      const res = await post(data, worker, 'upload.bin', 'application/octet-stream');
      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual({ hash: sha256(data), mime, size: data.length, width, height, created: true });
      expect(await onDisk()).toContain(join(sha256(data).slice(0, 2), sha256(data)));

      const back = await get(sha256(data)); // the uploader reads it back before attaching it anywhere
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

describe('who may read a photo', () => {
  const t = useTestTown();
  const [worker11, worker12, centre, post, resident] = t.sessions('t_worker11', 't_worker12', 't_centre', 't_post', 't_resident');
  const upload1 = async (headers: Record<string, string>, seed: number): Promise<string> => {
    const res = await t.app.inject({ method: 'POST', url: '/api/files', headers, payload: upload(tinyPng(seed), 'p.png', 'image/png') });
    expect(res.statusCode).toBe(201);
    return res.json().hash;
  };
  const get = (hash: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url: `/api/files/${hash}`, headers });
  const report = async (headers: Record<string, string>, source: string, photo: string): Promise<MatterOut> => {
    const res = await t.app.inject({ method: 'POST', url: '/api/matters', headers, payload: { source, description: '楼道里堆放杂物堵塞消防通道', location: { buildingId: t.town.building.id }, photos: [photo] } });
    expect(res.statusCode).toBe(201);
    return res.json();
  };

  it('lets the uploader see their own photo before it is attached, and nobody else', async () => {
    const hash = await upload1(resident, 201);
    expect((await get(hash, resident)).statusCode).toBe(200);
    // Not yet part of anything: even the centre is told it does not exist.
    expectError(await get(hash, centre), 404, 'NOT_FOUND');
    expectError(await get(hash, worker11), 404, 'NOT_FOUND');
  });

  it("shows a matter's photo to whoever may read the matter: its grid, the centre and its handlers, not another grid", async () => {
    const hash = await upload1(resident, 202);
    const m = await report(resident, 'resident_report', hash);
    for (const reader of [resident, worker11, centre]) expect((await get(hash, reader)).statusCode).toBe(200);
    expectError(await get(hash, worker12), 404, 'NOT_FOUND');
    // The post handler reads the matter (and so its photos) once it is dispatched to them.
    expectError(await get(hash, post), 404, 'NOT_FOUND');
    const step = (action: string, payload: unknown) => t.app.inject({ method: 'POST', url: `/api/matters/${m.id}/${action}`, headers: centre, payload: payload as Record<string, unknown> });
    expect((await step('register', { categoryCode: 'S06001' })).statusCode).toBe(200);
    expect((await step('dispatch', { lead: { kind: 'post', id: t.town.post.id } })).statusCode).toBe(200);
    expect((await get(hash, post)).statusCode).toBe(200);
  });

  it("lets a resident see the photos of their own matter but not of a stranger's", async () => {
    const own = await upload1(resident, 203);
    await report(resident, 'resident_report', own);
    expect((await get(own, resident)).statusCode).toBe(200);
    const strangers = await upload1(worker11, 204);
    await report(worker11, 'patrol', strangers);
    expectError(await get(strangers, resident), 404, 'NOT_FOUND');
    expect((await get(strangers, worker11)).statusCode).toBe(200);
  });

  it("shows a visit's photo to the grid's staff and not to another grid's", async () => {
    const hash = await upload1(worker11, 205);
    const res = await t.app.inject({ method: 'POST', url: '/api/visits', headers: worker11, payload: { gridId: t.town.g11.id, householdIds: [t.town.households.h1.id], note: '入户走访', photos: [hash] } });
    expect(res.statusCode).toBe(201);
    expect((await get(hash, centre)).statusCode).toBe(200);
    expectError(await get(hash, worker12), 404, 'NOT_FOUND');
  });
});
