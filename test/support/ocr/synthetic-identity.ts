/**
 * Random **synthetic** identities for generated card images: every person is invented, numbers carry a valid
 * check character, and the same seed gives the same people.
 */
import { computeCheckCharacter } from '../../../core/citizen-id/citizen-id.js';
import { seededRandom } from '../../../native/simulators/seeded-random.js';

export interface SyntheticIdentity {
  name: string;
  sex: 'male' | 'female';
  /** Short nation name as printed (汉, 蒙古 …). */
  nation: string;
  /** YYYYMMDD. */
  birthDate: string;
  address: string;
  idNumber: string;
  issuingAuthority: string;
  /** YYYYMMDD. */
  validFrom: string;
  /** YYYYMMDD or 长期. */
  validTo: string;
}

const SURNAMES = Array.from('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤');
const GIVEN = Array.from('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力斌宇浩凯晨鑫欣怡佳雨涵梓轩子博嘉琪思彤俊宏志鹏晓雪婷倩颖琳慧丹阳晶蕾薇瑶梦楠璐帆昊然泽睿诗悦雅妍');
const NATIONS = ['汉', '汉', '汉', '汉', '汉', '汉', '汉', '回', '满', '壮', '苗', '彝', '藏', '蒙古', '维吾尔', '土家', '朝鲜', '布依', '侗', '瑶'];

/** Real county-level codes with the names printed in addresses (GB/T 2260; frozen in numbers anyway). */
const REGIONS: readonly (readonly [string, string, string, string])[] = [
  ['110105', '北京市', '朝阳区', '北京市公安局朝阳分局'],
  ['110108', '北京市', '海淀区', '北京市公安局海淀分局'],
  ['310104', '上海市', '徐汇区', '上海市公安局徐汇分局'],
  ['320102', '江苏省南京市', '玄武区', '南京市公安局玄武分局'],
  ['330106', '浙江省杭州市', '西湖区', '杭州市公安局西湖分局'],
  ['410105', '河南省郑州市', '金水区', '郑州市公安局金水分局'],
  ['410302', '河南省洛阳市', '老城区', '洛阳市公安局老城分局'],
  ['420106', '湖北省武汉市', '武昌区', '武汉市公安局武昌分局'],
  ['440305', '广东省深圳市', '南山区', '深圳市公安局南山分局'],
  ['510107', '四川省成都市', '武侯区', '成都市公安局武侯区分局'],
  ['370102', '山东省济南市', '历下区', '济南市公安局历下分局'],
  ['610113', '陕西省西安市', '雁塔区', '西安市公安局雁塔分局'],
  ['430104', '湖南省长沙市', '岳麓区', '长沙市公安局岳麓分局'],
  ['130104', '河北省石家庄市', '桥西区', '石家庄市公安局桥西分局'],
];
const STREETS = Array.from('建设人民解放中山和平文化胜利友谊幸福光明新华朝阳东风长江黄河学府科技');
const ROAD = ['路', '街', '大道', '巷'];
const PLACE = ['小区', '花园', '家属院', '新村', '公寓'];

export function randomIdentity(random: () => number): SyntheticIdentity {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const sex = random() < 0.5 ? 'male' : 'female';
  const givenLength = random() < 0.65 ? 2 : 1;
  let name = pick(SURNAMES);
  for (let i = 0; i < givenLength; i++) name += pick(GIVEN);
  const [code, province, district, authority] = pick(REGIONS);
  const year = int(1960, 2007);
  const month = int(1, 12);
  const day = int(1, 28);
  const birthDate = `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
  const seq = int(0, 99) * 10 + (sex === 'male' ? pick([1, 3, 5, 7, 9]) : pick([0, 2, 4, 6, 8]));
  const body = `${code}${birthDate}${String(seq).padStart(3, '0')}`;
  const idNumber = body + computeCheckCharacter(body);
  const street = pick(STREETS) + pick(STREETS) + pick(ROAD);
  let address = `${province}${district}${street}${int(1, 399)}号`;
  if (random() < 0.6) address += `${pick(STREETS)}${pick(PLACE)}${int(1, 30)}号楼${int(1, 6)}单元${int(101, 2802)}号`;
  const fromYear = int(2012, 2024);
  const fromDate = `${fromYear}${String(int(1, 12)).padStart(2, '0')}${String(int(1, 28)).padStart(2, '0')}`;
  const age = fromYear - year;
  const span = age < 16 ? 5 : age < 26 ? 10 : age < 46 ? 20 : 0;
  const validTo = span === 0 ? '长期' : `${fromYear + span}${fromDate.slice(4)}`;
  return { name, sex, nation: pick(NATIONS), birthDate, address, idNumber, issuingAuthority: authority, validFrom: fromDate, validTo };
}

export function randomIdentities(seed: number, count: number): SyntheticIdentity[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => randomIdentity(random));
}
