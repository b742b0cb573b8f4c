import type { CardSex } from '../../core/contract/id-card.js';

/**
 * Code tables the card stores as digits (spec §10). The card face prints the short nation name (汉, not 汉族),
 * so that is what we return.
 */

/**
 * GB/T 3304 nation codes as stored on the card: 01–56 for the recognised groups plus 97 and 98.
 * 57 and 58 are deliberately missing: some SDK tables put placeholders there, but the standard assigns nothing,
 * and an unknown code must be shown as the code rather than as a guessed name.
 */
const nations: ReadonlyMap<string, string> = new Map([
  ['01', '汉'],
  ['02', '蒙古'],
  ['03', '回'],
  ['04', '藏'],
  ['05', '维吾尔'],
  ['06', '苗'],
  ['07', '彝'],
  ['08', '壮'],
  ['09', '布依'],
  ['10', '朝鲜'],
  ['11', '满'],
  ['12', '侗'],
  ['13', '瑶'],
  ['14', '白'],
  ['15', '土家'],
  ['16', '哈尼'],
  ['17', '哈萨克'],
  ['18', '傣'],
  ['19', '黎'],
  ['20', '傈僳'],
  ['21', '佤'],
  ['22', '畲'],
  ['23', '高山'],
  ['24', '拉祜'],
  ['25', '水'],
  ['26', '东乡'],
  ['27', '纳西'],
  ['28', '景颇'],
  ['29', '柯尔克孜'],
  ['30', '土'],
  ['31', '达斡尔'],
  ['32', '仫佬'],
  ['33', '羌'],
  ['34', '布朗'],
  ['35', '撒拉'],
  ['36', '毛南'],
  ['37', '仡佬'],
  ['38', '锡伯'],
  ['39', '阿昌'],
  ['40', '普米'],
  ['41', '塔吉克'],
  ['42', '怒'],
  ['43', '乌孜别克'],
  ['44', '俄罗斯'],
  ['45', '鄂温克'],
  // Several public SDK tables misspell this one as 德昴.
  ['46', '德昂'],
  ['47', '保安'],
  ['48', '裕固'],
  ['49', '京'],
  ['50', '塔塔尔'],
  ['51', '独龙'],
  ['52', '鄂伦春'],
  ['53', '赫哲'],
  ['54', '门巴'],
  ['55', '珞巴'],
  ['56', '基诺'],
  ['97', '其他'],
  ['98', '外国血统中国籍人士'],
]);

/** Short nation name for a two-digit code exactly as stored ('01'), or undefined for anything unassigned. */
export function nationName(code: string): string | undefined {
  return nations.get(code);
}

/**
 * GB/T 2261.1 sex code → CardSex. Anything outside the table is 'unknown' rather than 'female': some
 * open-source readers map every non-'1' value to female, which turns a read error into a wrong fact.
 */
export function cardSex(code: string): CardSex {
  switch (code) {
    case '1':
      return 'male';
    case '2':
      return 'female';
    case '9':
      return 'not-stated';
    default:
      return 'unknown';
  }
}
