import { describe, expect, it } from 'vitest';
import { parseMapTiles, tileImageSource } from './tiles.ts';

describe('the tile server setting', () => {
  it('is off without a URL', () => {
    expect(parseMapTiles({})).toBeNull();
    expect(parseMapTiles({ DUALGRID_MAP_TILES_URL: '  ' })).toBeNull();
  });

  it('reads an AMap template with its subdomains and coordinate system', () => {
    const tiles = parseMapTiles({
      DUALGRID_MAP_TILES_URL: 'https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}',
      DUALGRID_MAP_TILES_CRS: 'GCJ02', DUALGRID_MAP_TILES_SUBDOMAINS: '1234', DUALGRID_MAP_TILES_ATTRIBUTION: '© 高德地图',
    });
    expect(tiles).toMatchObject({ crs: 'gcj02', subdomains: '1234', attribution: '© 高德地图', maxZoom: 18 });
  });

  it('refuses Baidu tiles, templates without {z}/{x}/{y}, {s} without subdomains and odd zooms', () => {
    const url = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
    expect(() => parseMapTiles({ DUALGRID_MAP_TILES_URL: url, DUALGRID_MAP_TILES_CRS: 'bd09' })).toThrow(/Baidu/);
    expect(() => parseMapTiles({ DUALGRID_MAP_TILES_URL: 'https://tile.openstreetmap.org/{z}/{x}.png' })).toThrow(/\{y\}/);
    expect(() => parseMapTiles({ DUALGRID_MAP_TILES_URL: 'ftp://x/{z}/{x}/{y}' })).toThrow(/http/);
    expect(() => parseMapTiles({ DUALGRID_MAP_TILES_URL: 'https://t{s}.tianditu.gov.cn/{z}/{x}/{y}' })).toThrow(/SUBDOMAINS/);
    expect(() => parseMapTiles({ DUALGRID_MAP_TILES_URL: url, DUALGRID_MAP_TILES_MAX_ZOOM: '30' })).toThrow(/MAX_ZOOM/);
    expect(() => parseMapTiles({ DUALGRID_MAP_TILES_URL: url, DUALGRID_MAP_TILES_CRS: 'mercator' })).toThrow(/one of/);
  });

  it('gives the image origin the CSP must allow, a subdomain label widened', () => {
    expect(tileImageSource('https://tile.openstreetmap.org/{z}/{x}/{y}.png')).toBe('https://tile.openstreetmap.org');
    expect(tileImageSource('https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}')).toBe('https://*.is.autonavi.com');
    expect(tileImageSource('http://t{s}.tianditu.gov.cn:8080/vec_w/wmts?x={x}')).toBe('http://*.tianditu.gov.cn:8080');
  });
});
