// What people say in the demo town's groups, in Chongqing speech: mostly everyday chatter, some things that need
// doing, now and then a matter of life and safety, and the grid worker answering. Written as people write, not for the sensor.
import { beijingTimeOfDayMs, HOUR_MS } from '../beijing.ts';
import type { Rng } from '../prng.ts';

/** Someone in the group who may speak. */
export interface Voice { id: string; name: string; building: string | null; unit: string | null; room: string | null; staff: boolean; worker: boolean }

/** The real places around a group: its estate (or venue), community, buildings and streets. */
export interface Place { estate: string; community: string; buildings: readonly string[]; streets: readonly string[] }

export type LineKind = 'chatter' | 'actionable' | 'urgent' | 'reply';
export interface ChatLine { voice: Voice; text: string; kind: LineKind }

/** How often an exchange opens with each kind of message. */
export const OPENING_WEIGHTS: readonly (readonly [Exclude<LineKind, 'reply'>, number])[] = [['chatter', 74], ['actionable', 22], ['urgent', 4]];

const CHATTER = [
  '各位邻居早上好！今天天气好安逸哦',
  '早哦，今天又是个大太阳，出门记得防晒哈',
  '明天早上8点半有没有人从{estate}门口去观音桥？拼个车嘛，油钱平摊',
  '拼车：后天早上去江北机场，还差两个人，要的私我',
  '团购接龙：城口老腊肉、合川桃片，明天下午到{estate}门口自提，要的接哈\n1. {me}',
  '接龙+1，老腊肉要两斤',
  '收到',
  '收到收到',
  '收到，谢谢网格员',
  '晒哈我们家娃儿，今天幼儿园得了朵小红花，高兴得很😄',
  '你家娃儿好乖哦，长得好快',
  '今天好热哦，莫得空调硬是遭不住',
  '晚上要落雨，阳台上的衣服记得收哈',
  '哪个晓得{street}那家小面搬到哪里去了？好久没吃到了',
  '{street}口子上那家豆花饭还开起的，味道巴适得很',
  '有没有人捡到一把钥匙？上面挂了个小熊，在{building}楼下掉的',
  '钥匙找到了，谢谢大家哈，是保安捡到的',
  '请问社区卫生服务中心体检是哪天嘛？我老汉儿想去',
  '哪个有修洗衣机师傅的电话？洗衣机不转了',
  '今晚上坝坝舞还是8点钟老地方哈，来的扣1',
  '1',
  '1，我带音响',
  '今天菜市场的菜好贵哦，莴笋都要三块五一斤了',
  '哈哈哈哈笑死我了',
  '娃儿暑假作业好多哦，天天做到晚上十点，咋个办嘛',
  '有没有人晓得快递柜取件码过期了咋个整？',
  '周末有没有人一起去{street}那边河边钓鱼？',
  '楼下那只橘猫又跑到我们屋头来了，哪家的嘛，好乖',
  '好久没看到{building}的张嬢嬢了，她身体还好不？',
  '{building}哪家在炖腊排骨，香得我口水都流出来了',
  '有没有人要婴儿推车？娃儿大了用不到了，九成新，送给有需要的',
  '我要我要，{me}，晚上来拿方便不？',
  '谢谢{worker}，上回的事情办得好快，辛苦了！',
  '天气预报说明天降温，大家给老年人和娃儿多穿点哦',
  '今天买的枇杷好甜，哪个要的我这里还有几斤',
  '大家晓得附近哪里可以办老年卡不？',
  '小区门口新开了家烧烤，周末去尝哈',
  '群里好热闹哦，我才下班',
  '好的哦',
  '晓得了，谢谢',
  '哪个屋头的娃儿钢琴弹得好好听哦，天天听到',
  '请问一下明天停不停水哦？',
  '太阳出来了，赶紧晒被子',
  '今天重庆又上热搜了，好多外地游客来耍',
  '各位晚安，明天见',
];

const ACTIONABLE = [
  '{building}楼下那盏路灯坏了好几天了，晚上黑黢黢的，老年人走路怕遭摔',
  '{street}那边的下水道又堵了，一股臭味，麻烦哪个来看一哈',
  '{building}{unit}楼道头堆了好多纸壳壳和旧家具，消防通道都堵完了',
  '{building}有一家天天半夜三更打麻将，吵得人睡不着，说了好多次都莫得用',
  '我们屋头厕所顶上漏水，是楼上渗下来的，找楼上也莫得人，咋个办嘛',
  '{estate}门口天天有车乱停，把人行道占完了，推娃儿车都过不去',
  '{street}那段路面烂了个大坑，落雨就积水，电瓶车都遭摔了好几个了',
  '小区垃圾桶好几天没人收了，臭得很，苍蝇到处飞',
  '{building}电梯又坏了，我们住{floor}楼，老汉儿腿脚不好下不去',
  '这两天的自来水黄黄的，烧开了都有沉淀，能不能喊人来看一哈',
  '{building}后面有人在搭违章建筑，敲敲打打一整天',
  '楼下烧烤摊油烟好大，窗子都不敢开，晚上还吵到一两点',
  '{estate}里头的健身器材坏了，单杠都松了，娃儿在上面耍怕出事',
  '小区门禁坏了好几天了，随便哪个都进得来，不安全',
  '{street}那边有个井盖不见了，晚上好危险哦，我先拿个凳子挡到起的',
  '有人在绿化带头种菜，还泼粪水，臭死了',
  '{building}楼下有几只流浪狗，凶得很，娃儿都不敢下楼耍',
  '{building}{unit}的楼道灯不亮了，晚上上楼都是摸黑',
  '有人在{street}边边上乱倒建渣，堆了一大坨',
  '外卖电瓶车推到{building}楼道头充电，好吓人哦，万一起火咋个办',
  '地下车库的车位遭别人用地锁占了，物业也不管',
  '我老汉儿的高龄补贴这个月还没到，找哪个问嘛',
  '{street}公交站的棚子烂了，落雨都莫得地方躲',
  '{building}门口的水管爆了，水流了一地，物业电话打不通',
  '{building}楼顶的防水层坏了，顶楼{floor}楼屋头墙壁都霉了',
  '楼上天天往下面丢烟头，我晒的衣服都遭烫了几个洞',
  '{estate}后门那个围墙裂了好大一条缝，看到都怕',
  '隔壁装修天天早上7点就开始打电钻，周末都不歇',
];

const URGENT = [
  '快点来人！{building}{unit}电梯关到人了，卡在{floor}楼，里头有个老年人，按警铃都莫得人应！',
  '{building}{unit}楼道头好大一股天然气味道，是不是哪家漏气了？大家莫开火，莫按电灯开关！',
  '我老汉儿走失了！82岁，穿灰色外套，有点老年痴呆，早上从{estate}出去就没回来，大家看到了帮忙喊一声，急死了',
  '{building}有人高空抛物！刚才一个酒瓶子从楼上砸下来，差点打到娃儿！',
  '{building}外墙砖掉下来了，砸到楼下的车了，还在往下掉，大家莫从那边走！',
  '河边有几个娃儿在游泳，水好深好急哦，哪个去喊一下嘛，危险得很！',
  '{building}{floor}楼冒黑烟了！好像是着火了，快打119！',
  '{street}有人打架，手头还拿起刀的，好吓人，快报警！',
  '有个老年人在{estate}门口摔倒了，头在流血，喊都喊不答应，哪个会急救？',
  '大家注意！有人冒充社区打电话说发补贴，要银行卡密码，莫信哦，我妈差点遭骗了',
  '{street}那边积水好深了，车子都淹了一半，莫往那边开！',
  '我娃儿放学一直没回来，8岁，穿蓝色校服，在{street}那边走丢的，求大家帮忙找哈！',
];

const WORKER_REPLY = [
  '收到，我马上过来看一哈',
  '收到，已经联系物业了，今天之内处理',
  '好的，我记下来了，明天上午来现场看',
  '收到收到，马上报上去，有结果在群里说',
  '@{sender} 收到，莫着急，我们马上联系相关部门',
  '收到，这个事情我跟社区说了，尽快给大家一个答复',
];

const WORKER_URGENT_REPLY = [
  '收到！已经报告社区和街道，我马上到现场',
  '已经打了电话，救援马上到，大家莫靠近，注意安全！',
  '收到，我在往那边赶，@{sender} 你先莫挂电话，保持联系',
];

const ECHO = ['是的，我也看到了，好多天了', '+1，我们那栋也是这样', '对头，早就该管一哈了', '天哪，大家注意安全哦', '我刚才路过也看到了'];
const CHATTER_ECHO = ['哈哈', '收到', '好的哦', '谢谢哈', '要得', '👍', '安逸'];

/** One exchange in one group: an opening message, and sometimes the worker's answer or a neighbour's echo. */
export function composeExchange(rng: Rng, voices: readonly Voice[], place: Place): ChatLine[] {
  const people = voices.filter((v) => !v.staff);
  const worker = voices.find((v) => v.worker) ?? voices.find((v) => v.staff);
  const speaker = people.length ? rng.pick(people) : worker;
  if (!speaker) return [];
  const kind = rng.weighted(OPENING_WEIGHTS);
  const pool = kind === 'urgent' ? URGENT : kind === 'actionable' ? ACTIONABLE : CHATTER;
  const lines: ChatLine[] = [{ voice: speaker, text: vary(rng, fill(rng, rng.pick(pool), place, speaker, worker), kind, worker), kind }];
  const other = people.filter((v) => v.id !== speaker.id);
  if (kind !== 'chatter' && worker && rng.chance(kind === 'urgent' ? 0.8 : 0.55)) {
    const reply = rng.pick(kind === 'urgent' ? WORKER_URGENT_REPLY : WORKER_REPLY);
    lines.push({ voice: worker, text: fill(rng, reply, place, worker, worker, speaker), kind: 'reply' });
  }
  if (other.length && rng.chance(kind === 'chatter' ? 0.3 : 0.35)) {
    lines.push({ voice: rng.pick(other), text: rng.pick(kind === 'chatter' ? CHATTER_ECHO : ECHO), kind: 'reply' });
  }
  return lines.slice(0, 3);
}

const OPENERS: Record<Exclude<LineKind, 'reply'>, readonly string[]> = {
  chatter: ['各位邻居，', '大家好，', '问一下哈，'],
  actionable: ['麻烦问一下，', '各位邻居，', '又来了，', '说个事情哈，', '{worker}，'],
  urgent: ['紧急！', '救命！', '大家快看！'],
};
const TAILS = ['[捂脸]', '[抱拳]', '🙏', '😂', '[呲牙]', '！', '哦'];

/** The same thing said a little differently: a greeting or a name first, an emoji after, now and then. */
function vary(rng: Rng, text: string, kind: Exclude<LineKind, 'reply'>, worker: Voice | undefined): string {
  let out = text;
  if (text.length > 6 && rng.chance(kind === 'urgent' ? 0.3 : 0.25)) out = rng.pick(OPENERS[kind]).replace('{worker}', worker ? `${surname(worker.name)}网格员` : '网格员') + out;
  if (kind !== 'urgent' && text.length > 6 && rng.chance(0.2) && !/[！？😄]$/u.test(out)) out += rng.pick(TAILS);
  return out;
}

/** Until the next exchange: 20–40 s by day, 2–5 min at night (23:00–07:00 Beijing), when few are awake. */
export function nextPauseMs(rng: Rng, at: Date): number {
  const hour = beijingTimeOfDayMs(at) / HOUR_MS;
  return hour >= 23 || hour < 7 ? rng.int(120, 300) * 1000 : rng.int(20, 40) * 1000;
}

/** The street of a postal address: the name before its house number ("…灞柳路12号…" → "灞柳路"). */
export function streetOf(address: string): string | null {
  return /([^省市区县镇道号]{1,5}(?:大道|路|街|巷))\d+号/.exec(address)?.[1] ?? null;
}

const surname = (name: string) => {
  const bare = name.replace(/^.*-/, '');
  return bare.length > 3 ? bare.slice(0, 2) : bare.slice(0, 1);
};

function fill(rng: Rng, template: string, place: Place, me: Voice, worker: Voice | undefined, sender?: Voice): string {
  const building = me.building && rng.chance(0.6) ? me.building : place.buildings.length ? rng.pick(place.buildings) : '我们这栋';
  const slots: Record<string, string> = {
    estate: place.estate, community: place.community, building, unit: me.unit && building === me.building ? me.unit : `${rng.int(1, 3)}单元`,
    street: place.streets.length ? rng.pick(place.streets) : `${place.estate}外面`, floor: String(rng.int(3, 18)),
    worker: worker ? `${surname(worker.name)}网格员` : '网格员', sender: sender ? sender.name.replace(/^[\d-]+\s*/, '') : '',
    me: me.building && me.unit && me.room ? `${me.building}${me.unit}${me.room} ${me.name.replace(/^[\d-]+\s*/, '')}` : me.name,
  };
  return template.replace(/\{(\w+)\}/g, (_, key: string) => slots[key] ?? '');
}
