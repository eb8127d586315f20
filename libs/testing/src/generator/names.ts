import type { Prng } from './prng';

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
];
const MALE = [...'伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳建国峰亮成志海东'];
const FEMALE = [...'芳娜敏静丽艳娟霞秀玲桂英红燕萍梅琳雪莉婷慧兰月倩颖洁晶丹蓉玉凤琴云华'];
const NUMERALS = [...'一二三四五六七八九十'];

/** A Chinese personal name: surname and one or two given characters. */
export function personName(prng: Prng, female: boolean): string {
  const given = female ? FEMALE : MALE;
  const first = prng.pick(given);
  return prng.pick(SURNAMES) + first + (prng.chance(0.7) ? prng.pick(given) : '');
}

/** 1 → 一, 12 → 十二, 35 → 三十五 (up to 99). */
export function chineseNumber(n: number): string {
  if (n <= 10) return NUMERALS[n - 1]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return (tens > 1 ? NUMERALS[tens - 1]! : '') + '十' + (ones > 0 ? NUMERALS[ones - 1]! : '');
}

const ordinal = (n: number): string => (n <= 99 ? chineseNumber(n) : String(n));

const UNIT_KINDS = ['采油厂', '采气厂', '井下作业公司', '钻井公司', '油气储运公司', '供电分公司'];
const UNIT_SERVICES = ['机关服务中心', '职工医院', '物资供应处', '技术检测中心', '培训中心'];

/** The n-th (0-based) production unit, or the n-th service branch: unique within each kind. */
export function unitName(n: number, service: boolean): string {
  if (service) {
    const round = Math.floor(n / UNIT_SERVICES.length) + 1;
    return `${UNIT_SERVICES[n % UNIT_SERVICES.length]}${ordinal(round)}分部工会`;
  }
  const round = Math.floor(n / UNIT_KINDS.length) + 1;
  return `第${ordinal(round)}${UNIT_KINDS[n % UNIT_KINDS.length]}工会`;
}

/** Children are numbered from 1 within their parent, so sibling names never repeat. */
export const brigadeName = (n: number): string => `作业${ordinal(n)}区工会`;
export const teamName = (n: number): string => `${ordinal(n)}队工会`;
export const groupName = (n: number): string => `${ordinal(n)}班组工会小组`;
