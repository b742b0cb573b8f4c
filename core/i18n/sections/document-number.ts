/**
 * User-facing text for identity document numbers other than the resident citizen number (外国人永久居留身份证);
 * part of the catalogue as `zhCN.documentNumber`. The resident number's own texts stay in `zhCN.citizenId`.
 */
export const documentNumberText = {
  foreign2017: {
    length: (n: number) => `外国人永久居留身份证（2017版）号码应为15位（3个英文字母加12位数字），当前为${n}位，请核对。`,
    format: '外国人永久居留身份证（2017版）号码应为3个英文字母（国籍代码）加12位数字，请核对。',
    birthDate: (yymmdd: string) => `证件号码中的出生日期 ${yymmdd} 不存在，请核对第8–13位。`,
  },
  foreign2023: {
    format: '外国人永久居留身份证号码只能包含数字，最后一位可以是数字或X。',
    birthDate: (yyyymmdd: string) => `证件号码中的出生日期 ${yyyymmdd} 不存在，请核对第7–14位。`,
    futureBirthDate: (yyyymmdd: string) => `证件号码中的出生日期 ${yyyymmdd} 晚于今天，请核对第7–14位。`,
    checkDigit: '外国人永久居留身份证号码校验位不正确，请逐位核对号码（常见原因：输错或漏输一位）。',
    provinceWarning: '号码第2–3位不是已知的省级代码，请确认证件。',
  },
  /** Import report reasons for the foreign layouts, without quoting any character of the number. */
  rowReasons: {
    'foreign-2017-length': '位数不对，外国人永久居留身份证（2017版）号码应为15位',
    'foreign-2017-format': '不是3个英文字母加12位数字（外国人永久居留身份证2017版）',
  },
} as const;
