// Name pools for people, estates and streets, weighted so the demo reads like a real northwest-China town.
import type { EstateType } from './spec.ts';
import type { Rng } from '../prng.ts';

/** Common surnames with rough relative frequencies (per cent of the population). */
export const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 7.1], ['李', 7.0], ['张', 6.7], ['刘', 5.4], ['陈', 4.5], ['杨', 3.6], ['黄', 2.2], ['赵', 2.3],
  ['吴', 2.0], ['周', 2.0], ['徐', 1.6], ['孙', 1.5], ['马', 1.6], ['朱', 1.2], ['胡', 1.2], ['郭', 1.3],
  ['何', 1.1], ['高', 1.2], ['林', 0.9], ['罗', 0.9], ['郑', 0.9], ['梁', 0.8], ['谢', 0.8], ['宋', 0.8],
  ['唐', 0.7], ['许', 0.7], ['韩', 0.8], ['冯', 0.7], ['邓', 0.6], ['曹', 0.7], ['彭', 0.6], ['曾', 0.5],
  ['肖', 0.6], ['田', 0.7], ['董', 0.6], ['袁', 0.5], ['潘', 0.4], ['于', 0.5], ['蒋', 0.4], ['蔡', 0.4],
  ['余', 0.4], ['杜', 0.5], ['叶', 0.4], ['程', 0.4], ['苏', 0.4], ['魏', 0.5], ['吕', 0.4], ['丁', 0.4],
  ['任', 0.5], ['沈', 0.3], ['姚', 0.4], ['卢', 0.4], ['姜', 0.3], ['崔', 0.4], ['钟', 0.3], ['谭', 0.3],
  ['陆', 0.3], ['汪', 0.3], ['范', 0.3], ['金', 0.3], ['石', 0.3], ['廖', 0.2], ['贾', 0.4], ['夏', 0.3],
  ['付', 0.3], ['方', 0.3], ['白', 0.4], ['邹', 0.2], ['孟', 0.3], ['秦', 0.3], ['薛', 0.3], ['闫', 0.4],
  ['段', 0.3], ['雷', 0.4], ['侯', 0.3], ['史', 0.3], ['郝', 0.3], ['党', 0.2], ['屈', 0.2], ['惠', 0.1],
  ['寇', 0.1], ['强', 0.1], ['欧阳', 0.03], ['司马', 0.02],
];

// Whole given names typical of each generation; mixed with free combinations below for variety.
const OLD_MALE = '建国 建军 国强 国华 志强 志刚 德明 德华 卫东 卫国 振华 永强 永福 长生 庆丰 福海 金山 宝山 新民 树林 忠义 满仓 解放 胜利 守业';
const OLD_FEMALE = '秀英 桂英 秀兰 桂兰 玉兰 凤英 淑珍 秀珍 桂芳 玉珍 翠花 玉梅 淑兰 素芬 秀芳 凤兰 春花 金凤 美华 淑英 玉芳 秀云 冬梅 彩霞 爱莲';
const MID_MALE = '伟 强 磊 军 勇 杰 涛 斌 超 明 刚 平 辉 鹏 华 飞 鑫 波 宁 亮 海涛 建华 晓东 志伟 俊杰 海波 立新 文军 红伟 小龙 建锋 永刚 卫平 军利';
const MID_FEMALE = '丽 静 敏 燕 艳 娟 霞 芳 娜 丹 玲 萍 红 婷 雪 琳 丽娟 晓燕 海燕 春梅 丽华 晓红 秀梅 小红 雪梅 慧敏 晓琴 亚萍 丽萍 红霞 小娟';
const YOUNG_MALE = '浩 宇 轩 子轩 浩然 宇航 梓豪 俊熙 一鸣 博文 天佑 皓轩 思远 泽宇 明轩 嘉豪 鹏飞 家乐 奕辰 睿 晨 阳 子墨 宇轩 铭泽 梓睿 沐阳 锦程';
const YOUNG_FEMALE = '欣怡 梓涵 诗涵 子涵 雨桐 可馨 紫萱 思琪 佳怡 梦琪 一诺 雨欣 语嫣 欣妍 静怡 晓雪 婷 悦 萱 琪 若曦 沐晴 安琪 书瑶 芷若 梓萌 佳琪';

const MALE_CHARS = Array.from(
  '伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信杰涛昌成康星光天达安岩中茂进林有坚和博诚先振壮思群豪心邦承乐功松善厚庆磊民友裕河哲江超浩亮政谦奇翰朗宏鸣朋斌栋维启克伦翔旭鹏泽晨辰建家致树德行泰盛雄琛钧冠腾楠航弘',
);
const FEMALE_CHARS = Array.from(
  '秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月媛艳瑞佳嘉琼勤珍贞莉桂叶璐娅琦晶妍茜秋珊莎锦青倩婷婉娴瑾颖露瑶怡雁蓓仪荷丹蓉君琴蕊薇菁梦岚苑婕馨韵园艺卿澜纯悦昭冰爽茗羽希宁欣滢筠柔竹凝晓欢枫芸菲伊亚宜可舒影思丽',
);

function words(list: string): string[] {
  return list.split(' ');
}

const POOLS = {
  old: { M: words(OLD_MALE), F: words(OLD_FEMALE) },
  mid: { M: words(MID_MALE), F: words(MID_FEMALE) },
  young: { M: words(YOUNG_MALE), F: words(YOUNG_FEMALE) },
};

export function pickSurname(rng: Rng): string {
  return rng.weighted(SURNAMES);
}

/** A given name in the style of the person's generation: curated names or 1–2 free characters. */
export function givenName(rng: Rng, gender: 'M' | 'F', birthYear: number): string {
  const era = birthYear < 1965 ? POOLS.old : birthYear < 1990 ? POOLS.mid : POOLS.young;
  if (rng.chance(0.45)) return rng.pick(era[gender]);
  const chars = gender === 'M' ? MALE_CHARS : FEMALE_CHARS;
  // Single-character given names were most popular in the 1970s–80s.
  const single = rng.chance(birthYear >= 1965 && birthYear < 1990 ? 0.3 : 0.15);
  if (single) return rng.pick(chars);
  const first = rng.pick(chars);
  let second = rng.pick(chars);
  while (second === first) second = rng.pick(chars);
  return first + second;
}

export function personName(rng: Rng, gender: 'M' | 'F', birthYear: number, surname?: string): string {
  return (surname ?? pickSurname(rng)) + givenName(rng, gender, birthYear);
}

/** Roads of the invented town, used in building addresses. */
export const STREETS: readonly string[] = words(
  '灞柳路 渭滨东路 纺渭路 长坡路 锦园街 新庄大道 东城一路 东城二路 柳巷路 田家湾路 红庆路 石王街 向阳路 建设东路 幸福南路 和平北路 ' +
    '纺正街 纺建路 灞源大道 柳风路 漕渠路 河湾大道 港西路 秦汉路 望岳路 灞源北街',
);

// Parts of estate names per type: brochure names for managed estates, place names for the others.
const ESTATE_BRAND = words('锦绣 金色 华清 东方 阳光 翠柏 紫薇 御景 碧水 丽都 康桥 嘉和 润泽 书香 星河 枫林 雅荷 滨河 绿洲 盛世 天悦 和煦 秦川 长安 悦澜');
const ESTATE_SUFFIX = words('花园 苑 家园 华庭 名苑 新城 嘉园 雅居 公馆 佳苑 庭院 城');
const PLACE_NAMES = words('东坡 田家 新合 柳巷 灞坡 新庄 米家湾 石王 郭家坡 上河 红庆 刘家湾 水磨 谢家 唐家 北塬 三里 马渡 向阳 湾子');
const WORK_UNITS = words('纺织厂 棉纺三厂 印染厂 电力 机械厂 粮站 供销社 铁路 建材厂 毛纺厂 化纤厂 水泥厂 农机站 百货公司');

/** An estate name of the given type not yet in `used` (which it updates). */
export function estateName(rng: Rng, type: EstateType, used: Set<string>): string {
  for (let attempt = 0; attempt < 500; attempt++) {
    const name = draftEstateName(rng, type);
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
  throw new Error(`ran out of ${type} estate names`);
}

function draftEstateName(rng: Rng, type: EstateType): string {
  switch (type) {
    case 'property_managed':
      return rng.pick(ESTATE_BRAND) + rng.pick(ESTATE_SUFFIX);
    case 'self_governed':
      return `${rng.pick(WORK_UNITS)}${rng.pick(['家属院', '生活区', '小区'])}`;
    case 'resettlement':
      return `${rng.pick(PLACE_NAMES)}${rng.pick(['安置小区', '安置社区', '新村'])}`;
    case 'transitional':
      return `${rng.pick(PLACE_NAMES)}${rng.pick(['过渡安置区', '周转小区'])}`;
  }
}
