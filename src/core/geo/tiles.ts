// The optional tile server behind the maps: its URL template, the coordinate system its tiles are drawn in, and the
// image origins the pages' Content-Security-Policy must allow for it. See docs/maps.md for the common providers.

/** Coordinate systems a tile layer may be drawn in. CGCS2000 (天地图) differs from WGS-84 by centimetres. */
export const TILE_CRSES = ['wgs84', 'gcj02', 'cgcs2000'] as const;
export type TileCrs = (typeof TILE_CRSES)[number];

export interface MapTiles {
  /** An XYZ template with {z}, {x}, {y} and optionally {s} (a subdomain). */
  url: string;
  crs: TileCrs;
  attribution: string;
  /** The letters or digits {s} takes, e.g. "1234" or "abc". */
  subdomains: string;
  maxZoom: number;
}

type Env = Record<string, string | undefined>;

/** Reads DUALGRID_MAP_TILES_*; no URL means no tiles (the maps draw their own layers). Throws on a mistake. */
export function parseMapTiles(env: Env): MapTiles | null {
  const url = env.DUALGRID_MAP_TILES_URL?.trim();
  if (!url) return null;
  if (!/^https?:\/\//.test(url)) throw new Error(`DUALGRID_MAP_TILES_URL must be an http(s) URL template, got ${url}`);
  for (const part of ['{z}', '{x}', '{y}']) if (!url.includes(part)) throw new Error(`DUALGRID_MAP_TILES_URL must contain ${part}, got ${url}`);
  const crs = (env.DUALGRID_MAP_TILES_CRS ?? 'wgs84').trim().toLowerCase();
  if (crs === 'bd09' || crs === 'bd09ll' || crs === 'bd09mc') {
    throw new Error('DUALGRID_MAP_TILES_CRS=bd09: Baidu tiles use their own projection and tile grid, which the maps do not draw; use AMap (gcj02), Tianditu (cgcs2000) or an OSM-style server (wgs84). See docs/maps.md.');
  }
  if (!(TILE_CRSES as readonly string[]).includes(crs)) throw new Error(`DUALGRID_MAP_TILES_CRS must be one of ${TILE_CRSES.join(', ')}, got ${crs}`);
  const subdomains = (env.DUALGRID_MAP_TILES_SUBDOMAINS ?? '').trim();
  if (url.includes('{s}') && !subdomains) throw new Error('DUALGRID_MAP_TILES_URL uses {s}: set DUALGRID_MAP_TILES_SUBDOMAINS (e.g. 1234 or abc)');
  const maxZoom = Number(env.DUALGRID_MAP_TILES_MAX_ZOOM ?? 18);
  if (!Number.isInteger(maxZoom) || maxZoom < 1 || maxZoom > 22) throw new Error(`DUALGRID_MAP_TILES_MAX_ZOOM must be a whole number 1..22, got ${env.DUALGRID_MAP_TILES_MAX_ZOOM}`);
  return { url, crs: crs as TileCrs, attribution: (env.DUALGRID_MAP_TILES_ATTRIBUTION ?? '').trim(), subdomains, maxZoom };
}

/**
 * The CSP img-src source for a template: its origin, with a host label holding {s} widened to a wildcard
 * (https://webrd0{s}.is.autonavi.com/… → https://*.is.autonavi.com). Other placeholders never sit in the host.
 */
export function tileImageSource(url: string): string {
  const m = /^(https?):\/\/([^/?#]+)/.exec(url);
  if (!m) throw new Error(`not an http(s) URL: ${url}`);
  const host = (m[2] ?? '').split('.').map((label) => (label.includes('{') ? '*' : label)).join('.');
  return `${m[1]}://${host}`;
}
