import { describe, expect, it } from 'vitest';
import { distanceM } from '../src/core/geo/features.ts';
import { parseMapTiles } from '../src/core/geo/tiles.ts';
import { cspDirectives } from '../src/http/security.ts';
import { DEMO_PASSWORD, TOWN_BBOX } from '../src/modules/demo/demo.loader.ts';
import { expectError } from './helpers/app.ts';
import { Actor } from './helpers/matters.ts';
import { useTestTown } from './helpers/town.ts';

interface Place { id: number; name: string; label: string; address: string; gridId: number; gridName: string; communityName: string | null; lng: number; lat: number; distanceM: number | null }
interface Feature { geometry: { type: string; coordinates: unknown }; properties: { id: number; kind: string; name: string } }

/** Places people can find: drawn bearings for maps without tiles, nearby buildings to choose from, a matter's named place. */
describe('places and maps', () => {
  const t = useTestTown({ seed: 'demo' });
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  const as = (username: string) => Actor.as(t.app, username, DEMO_PASSWORD);
  const inTown = ([lng, lat]: number[]) => (lng ?? 0) >= TOWN_BBOX[0] && (lng ?? 0) <= TOWN_BBOX[2] && (lat ?? 0) >= TOWN_BBOX[1] && (lat ?? 0) <= TOWN_BBOX[3];
  const positions = (c: unknown): number[][] => (Array.isArray(c) && typeof c[0] === 'number' ? [c as number[]] : Array.isArray(c) ? c.flatMap(positions) : []);

  it('draws the town\'s river, roads and landmarks by name, inside the town, for anyone', async () => {
    const res = await get('/api/map/features');
    expect(res.statusCode).toBe(200);
    const features = res.json().features as Feature[];
    const names = features.map((f) => f.properties.name);
    expect(names).toEqual(expect.arrayContaining(['灞河', '灞源大道', '纺渭路', '灞源街道办事处', '地铁灞源站', '灞柳社区党群服务中心', '灞源第一中学', '灞源医院']));
    const kinds = new Set(features.map((f) => f.properties.kind));
    expect([...kinds].sort()).toEqual(['landmark', 'main_road', 'park', 'river', 'road']);
    for (const f of features) expect(positions(f.geometry.coordinates).every(inTown), f.properties.name).toBe(true);
    // Community borders are roads: each lies on vertices two neighbouring outlines share.
    expect(features.filter((f) => f.properties.kind === 'road').length).toBe(7);
  });

  it('keeps to the neighbourhood of a node, and refuses a node that is not there', async () => {
    const grids = (await get('/api/geo/boundaries?kind=grid')).json().features as { properties: { id: number; name: string } }[];
    const first = grids[0]?.properties.id;
    const near = (await get(`/api/map/features?under=${first}`)).json().features as Feature[];
    const all = (await get('/api/map/features')).json().features as Feature[];
    expect(near.length).toBeGreaterThan(0);
    expect(near.length).toBeLessThan(all.length);
    expect((await get('/api/map/features?under=99999999')).statusCode).toBe(404);
    expect((await get('/api/map/features?under=abc')).statusCode).toBe(400);
  });

  it('says there is no tile server unless one is configured', async () => {
    expect((await get('/api/map/config')).json()).toEqual({ tiles: null });
  });

  it('lets the pages load a configured tile server\'s images, and nothing else new', () => {
    const mapTiles = parseMapTiles({ DUALGRID_MAP_TILES_URL: 'https://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=k', DUALGRID_MAP_TILES_CRS: 'cgcs2000', DUALGRID_MAP_TILES_SUBDOMAINS: '01234567' });
    const withTiles = cspDirectives({ secureCookies: false, mapTiles });
    const without = cspDirectives({ secureCookies: false, mapTiles: null });
    expect(withTiles.imgSrc).toEqual([...without.imgSrc, 'https://*.tianditu.gov.cn']);
    expect({ ...withTiles, imgSrc: null }).toEqual({ ...without, imgSrc: null });
    expect(cspDirectives({ secureCookies: true, mapTiles: null }).upgradeInsecureRequests).toEqual([]);
  });

  it('lists a resident the buildings of their community, nearest first from where they stand', async () => {
    const resident = await as('resident1');
    const some = await resident.ok<{ items: Place[] }>('GET', '/api/map/places?limit=100');
    expect(some.items.length).toBeGreaterThan(0);
    const communities = new Set(some.items.map((p) => p.communityName));
    expect(communities.size).toBe(1);
    const here = some.items[Math.floor(some.items.length / 2)] as Place;
    const near = await resident.ok<{ items: Place[] }>('GET', `/api/map/places?lng=${here.lng}&lat=${here.lat}&limit=20`);
    expect(near.items[0]?.id).toBe(here.id);
    expect(near.items[0]?.distanceM).toBe(0);
    const d = near.items.map((p) => p.distanceM ?? -1);
    expect(d).toEqual([...d].sort((a, b) => a - b));
    for (const p of near.items) {
      expect(p.distanceM).toBe(Math.round(distanceM([here.lng, here.lat], [p.lng, p.lat])));
      expect(p.distanceM).toBeLessThanOrEqual(1500);
      expect(p.communityName).toBe(here.communityName);
    }
    // Names a person recognises: the estate and the building, never bare coordinates.
    expect(here.label.endsWith(here.name)).toBe(true);
    expect(here.label.length).toBeGreaterThan(here.name.length);
  });

  it('finds buildings by part of their name or address, and refuses half a point', async () => {
    const resident = await as('resident1');
    const some = await resident.ok<{ items: Place[] }>('GET', '/api/map/places?limit=5');
    const estate = (some.items[0] as Place).label.replace((some.items[0] as Place).name, '');
    const found = await resident.ok<{ items: Place[] }>('GET', `/api/map/places?q=${encodeURIComponent(estate)}&limit=100`);
    expect(found.items.length).toBeGreaterThan(0);
    for (const p of found.items) expect(`${p.label}${p.address}${p.gridName}`).toContain(estate);
    const none = await resident.ok<{ items: Place[] }>('GET', `/api/map/places?q=${encodeURIComponent('%_不存在的楼')}`);
    expect(none.items).toEqual([]);
    expectError(await resident.raw('GET', '/api/map/places?lng=109.1'), 400, 'VALIDATION_FAILED');
    expectError(await resident.raw('GET', '/api/map/places?radius=9'), 400, 'VALIDATION_FAILED');
  });

  it('lists buildings only to the signed in, and the centre the whole town', async () => {
    expectError(await get('/api/map/places'), 401, 'UNAUTHENTICATED');
    const centre = await as('centre1');
    const all = await centre.ok<{ items: Place[] }>('GET', '/api/map/places?limit=100&q=栋');
    expect(new Set(all.items.map((p) => p.communityName)).size).toBeGreaterThan(1);
  });

  it('names a matter\'s place: building, grid, community and the building\'s point', async () => {
    const resident = await as('resident1');
    const [building] = (await resident.ok<{ items: Place[] }>('GET', '/api/map/places?limit=1')).items;
    if (!building) throw new Error('no building');
    const made = await resident.ok<{ id: number }>('POST', '/api/matters', {
      source: 'resident_report', channel: 'phone', description: '楼道灯坏了，晚上黑黢黢的', location: { buildingId: building.id }, photos: [], reporter: {},
    });
    const centre = await as('centre1');
    const m = await centre.ok<{ place: Record<string, unknown> | null }>('GET', `/api/matters/${made.id}`);
    expect(m.place).toEqual({
      label: building.label, buildingId: building.id, buildingName: building.name, buildingAddress: building.address,
      gridId: building.gridId, gridName: building.gridName, communityName: building.communityName, lng: building.lng, lat: building.lat,
    });
  });
});
