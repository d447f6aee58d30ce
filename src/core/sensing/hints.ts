import type { SensingHints } from './types.ts';
import { parseNumber } from './normalise.ts';

/**
 * Location hints (位置线索) from a normalised message: building (楼栋), unit (单元) and room (室) numbers,
 * and named places. Chinese numerals count (三号楼 → '3', 十二栋 → '12'). '3楼' alone is a floor, not a
 * building, so it is not reported; '3楼2单元' and '3#楼' are buildings.
 */

const NUM = '(\\d{1,3}|[零〇一二两三四五六七八九十]{1,3})';
const BUILDING = new RegExp(`${NUM}(?:号住宅楼|号楼|栋|幢|#楼|#|号院)|${NUM}楼(?=${NUM}单元)`, 'g');
const UNIT = new RegExp(`${NUM}(?:单元|门洞)`, 'g');
/** Rooms: 502室/502房/502户/502号房, a number straight after a unit or a building, or 3-2-502. */
const ROOM = /(\d{3,4})(?:室|房|户|号房)|(?:单元|号楼|栋|幢)(\d{3,4})(?!\d)|(?<![\d-])(\d{1,3})-(\d{1,2})-(\d{3,4})(?![\d-])/g;
const PLACE_SUFFIX =
  '小区|花园|家园|华庭|名苑|嘉园|雅居|公馆|佳苑|家属院|生活区|安置区|新村|农贸市场|菜市场|小学|中学|幼儿园|公园|广场|大桥|医院|卫生院|超市';
const PLACE = new RegExp(`(\\p{Script=Han}{2,5}?)(${PLACE_SUFFIX})`, 'gu');
/** Cheap pre-checks, so most messages skip the costlier expressions. */
const HAS_PLACE = new RegExp(PLACE_SUFFIX, 'u');
const HAS_NUMBERED = /[楼栋幢#院单门室房户]|\d-\d/;
/** Characters that start a clause, not a name: trimmed from the front of a place name. */
const NOT_NAME_START = new Set('我你他她它们的在到去了这那个住是和跟给从把被对向就也都还又说咱俺哪啥边里旁前后附近对面隔壁门口'.split(''));
const GENERIC_PLACE = new Set(['这个', '那个', '我们', '咱们', '俺们', '旁边', '附近', '对面', '隔壁', '一个', '整个', '全小区']);

function pushUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

/** Words that end a clause before a name: everything up to them is cut (网格员锦绣花园 → 锦绣花园). */
const NAME_CUT = /^.*(?:网格员|物业|管家|书记|师傅|主任|大家|邻居|在|到|去|住|是|从|的)/u;

function trimName(whole: string): string {
  const raw = whole.replace(NAME_CUT, '');
  let start = 0;
  while (start < raw.length && NOT_NAME_START.has(raw[start] ?? '')) start++;
  return raw.slice(start);
}

/** Hints in a normalised text; landmarks found by the dictionary are passed in and come first. */
export function extractHints(text: string, dictionaryLandmarks: readonly string[] = []): SensingHints {
  const buildings: string[] = [];
  const units: string[] = [];
  const rooms: string[] = [];
  const landmarks: string[] = [...dictionaryLandmarks];

  const numbered = HAS_NUMBERED.test(text);
  for (const m of numbered ? text.matchAll(BUILDING) : []) {
    const n = parseNumber(m[1] ?? m[2] ?? '');
    if (n !== null && n !== '0') pushUnique(buildings, n);
  }
  for (const m of numbered ? text.matchAll(UNIT) : []) {
    const n = parseNumber(m[1] ?? '');
    if (n !== null && n !== '0') pushUnique(units, n);
  }
  for (const m of numbered ? text.matchAll(ROOM) : []) {
    if (m[3] !== undefined && m[4] !== undefined && m[5] !== undefined) {
      pushUnique(buildings, String(Number(m[3])));
      pushUnique(units, String(Number(m[4])));
      pushUnique(rooms, m[5]);
    } else {
      const room = m[1] ?? m[2];
      if (room !== undefined) pushUnique(rooms, room);
    }
  }
  for (const m of HAS_PLACE.test(text) ? text.matchAll(PLACE) : []) {
    const name = trimName(m[1] ?? '');
    if (name.length < 2 || GENERIC_PLACE.has(name)) continue;
    const place = name + (m[2] ?? '');
    if (!landmarks.some((l) => l.includes(place) || place.includes(l))) landmarks.push(place);
  }

  const hints: SensingHints = {};
  if (buildings.length > 0) hints.buildings = buildings;
  if (units.length > 0) hints.units = units;
  if (rooms.length > 0) hints.rooms = rooms;
  if (landmarks.length > 0) hints.landmarks = landmarks;
  return hints;
}
