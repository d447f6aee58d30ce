/**
 * Recognises the photo formats we accept from their first bytes. The client's mimetype and file name
 * are never trusted: a renamed PDF or script must not be served back later as an image.
 */
export type PhotoMime = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic' | 'image/heif';

export interface Sniffed {
  mime: PhotoMime;
  /** Pixel size as encoded, when the header gives it cheaply; null otherwise (HEIC needs a box walk). */
  width: number | null;
  height: number | null;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** ISO-BMFF major brands of HEIC (HEVC-coded) images and sequences. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);
/** Generic HEIF brands; AVIF files use them too, so those are told apart by their compatible brands. */
const HEIF_BRANDS = new Set(['mif1', 'msf1']);

const ascii = (data: Buffer, start: number, end: number) => data.toString('latin1', start, end);

export function sniffPhoto(data: Buffer): Sniffed | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) {
    return { mime: 'image/jpeg', ...jpegSize(data) };
  }
  if (data.length >= 8 && data.subarray(0, 8).equals(PNG_SIGNATURE)) {
    return { mime: 'image/png', ...pngSize(data) };
  }
  if (data.length >= 16 && ascii(data, 0, 4) === 'RIFF' && ascii(data, 8, 12) === 'WEBP') {
    return { mime: 'image/webp', ...webpSize(data) };
  }
  const heif = heifMime(data);
  if (heif) return { mime: heif, width: null, height: null };
  return null;
}

type Size = { width: number | null; height: number | null };
const UNKNOWN: Size = { width: null, height: null };
const size = (width: number, height: number): Size => (width > 0 && height > 0 ? { width, height } : UNKNOWN);

/** IHDR is always the first chunk, so width and height sit at fixed offsets. */
function pngSize(data: Buffer): Size {
  if (data.length < 24 || ascii(data, 12, 16) !== 'IHDR') return UNKNOWN;
  return size(data.readUInt32BE(16), data.readUInt32BE(20));
}

/** The three WebP flavours (lossy VP8, lossless VP8L, extended VP8X) each keep the size at a fixed offset. */
function webpSize(data: Buffer): Size {
  const chunk = ascii(data, 12, 16);
  if (chunk === 'VP8 ' && data.length >= 30 && data.readUIntBE(23, 3) === 0x9d012a) {
    return size(data.readUInt16LE(26) & 0x3fff, data.readUInt16LE(28) & 0x3fff);
  }
  if (chunk === 'VP8L' && data.length >= 25 && data[20] === 0x2f) {
    const bits = data.readUInt32LE(21);
    return size((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X' && data.length >= 30) {
    return size(data.readUIntLE(24, 3) + 1, data.readUIntLE(27, 3) + 1);
  }
  return UNKNOWN;
}

/**
 * Walks the JPEG marker segments up to the first start-of-frame, which holds the size. EXIF rotation
 * is not applied: these are the encoded dimensions.
 */
function jpegSize(data: Buffer): Size {
  let at = 2;
  while (at + 4 <= data.length) {
    if (data[at] !== 0xff) return UNKNOWN;
    const marker = data.readUInt8(at + 1);
    if (marker === 0xff) { at += 1; continue; } // fill byte before a marker
    // Standalone markers (TEM, RSTn) carry no length.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { at += 2; continue; }
    if (marker === 0xd9 || marker === 0xda) return UNKNOWN; // end of image or scan data before any frame
    const length = data.readUInt16BE(at + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range but are not frames.
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (at + 9 > data.length) return UNKNOWN;
      return size(data.readUInt16BE(at + 7), data.readUInt16BE(at + 5));
    }
    if (length < 2) return UNKNOWN;
    at += 2 + length;
  }
  return UNKNOWN;
}

/** HEIC/HEIF files start with an ISO-BMFF 'ftyp' box naming the major brand and compatible brands. */
function heifMime(data: Buffer): PhotoMime | null {
  if (data.length < 12 || ascii(data, 4, 8) !== 'ftyp') return null;
  const boxSize = Math.min(data.readUInt32BE(0), data.length);
  const major = ascii(data, 8, 12);
  if (HEIC_BRANDS.has(major)) return 'image/heic';
  if (!HEIF_BRANDS.has(major)) return null;
  const compatible: string[] = [];
  for (let at = 16; at + 4 <= boxSize; at += 4) compatible.push(ascii(data, at, at + 4));
  if (compatible.some((b) => b === 'avif' || b === 'avis')) return null; // AVIF is not on the accepted list
  return compatible.some((b) => HEIC_BRANDS.has(b)) ? 'image/heic' : 'image/heif';
}
