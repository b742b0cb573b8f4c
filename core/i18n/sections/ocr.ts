/** User-facing text for the ocr feature; part of the one catalogue as `zhCN.ocr` (see ../zh-CN.ts). */
export const ocrText = {
  /** Field labels as printed on the card. */
  fields: {
    name: '姓名',
    sex: '性别',
    nation: '民族',
    birthDate: '出生',
    address: '住址',
    idNumber: '公民身份号码',
    issuingAuthority: '签发机关',
    validity: '有效期限',
  },
  sides: { front: '人像面', back: '国徽面' },
  /** Why a prefilled field is highlighted for the operator to check. */
  review: {
    lowConfidence: '识别可信度低，请核对',
    checkDigit: '身份号码校验位不符，请核对',
    corrected: '身份号码已按校验位自动更正，请核对',
    birthMismatch: '出生日期与身份号码不一致，请核对',
    sexMismatch: '性别与身份号码不一致，请核对',
    unknownNation: '民族不在代码表中，请核对',
    validityInvalid: '有效期限格式不正确，请核对',
    notRead: '未能识别，请手动填写',
    cardUncertain: '证件边缘定位不准，建议重新拍摄',
  },
  errors: {
    imageInvalid: '图片无法读取，请重新选择或拍摄',
    cardNotFound: '未找到身份证，请将证件完整放入画面后重试',
    engine: '文字识别组件未能加载，请联系技术支持',
    outputInvalid: '识别结果异常，请手动填写',
  },
  longTerm: '长期',
} as const;
