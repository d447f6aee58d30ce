import { fromWgs84 } from '../geo.ts';

/** A map app to hand a place to, with the coordinate system it reads. */
export type NavApp = 'amap' | 'baidu' | 'geo';

export interface NavTarget { lng: number; lat: number; name: string; address?: string }

const r6 = (v: number) => v.toFixed(6);

/**
 * The link that opens a map app at a WGS-84 point, converted to what the app reads:
 * AMap (高德) GCJ-02 (uri.amap.com/marker, coordinate=gaode, callnative=1 opens the app when installed);
 * Baidu BD-09 (api.map.baidu.com/marker, coord_type=bd09ll, output=html); other apps the geo: URI of RFC 5870, WGS-84.
 */
export function navigateUrl(app: NavApp, t: NavTarget): string {
  if (app === 'amap') {
    const [lng, lat] = fromWgs84(t.lng, t.lat, 'gcj02');
    const q = new URLSearchParams({ position: `${r6(lng)},${r6(lat)}`, name: t.name, src: 'dualgrid', coordinate: 'gaode', callnative: '1' });
    return `https://uri.amap.com/marker?${q}`;
  }
  if (app === 'baidu') {
    const [lng, lat] = fromWgs84(t.lng, t.lat, 'bd09');
    const q = new URLSearchParams({ location: `${r6(lat)},${r6(lng)}`, title: t.name, content: t.address || t.name, output: 'html', coord_type: 'bd09ll', src: 'webapp.dualgrid.dualgrid' });
    return `https://api.map.baidu.com/marker?${q}`;
  }
  // geo:lat,lng?q=lat,lng(label): Android hands it to any installed map app.
  return `geo:${r6(t.lat)},${r6(t.lng)}?q=${r6(t.lat)},${r6(t.lng)}(${encodeURIComponent(t.name)})`;
}
