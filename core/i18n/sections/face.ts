/** User-facing text for the face feature; part of the one catalogue as `zhCN.face` (see ../zh-CN.ts). */
export const faceText = {
  decision: {
    pass: '通过',
    review: '需人工复核',
    fail: '不通过',
  },
  decisionHelp: {
    pass: '人脸比对通过。',
    review: '人脸比对结果不确定，请工作人员核对证件照片与本人后决定。',
    fail: '人脸比对不通过，请工作人员核对证件与本人；如确为本人，可重新采集或交由主管复核。',
  },
  /** Why a picture cannot be used for comparison; shown to staff and read out to the candidate. */
  detection: {
    noFace: '未检测到人脸',
    multipleFaces: '检测到多张人脸',
    notFrontal: '请正对摄像头',
    tooSmall: '请正对摄像头，并靠近一些',
  },
  detectionHelp: {
    noFace: '请考生正对摄像头，露出整个面部，不要遮挡。',
    multipleFaces: '画面中只能有考生一人，请其他人离开镜头范围。',
    notFrontal: '请考生正视镜头，不要侧脸、低头或仰头。',
    tooSmall: '请考生靠近摄像头一些。',
  },
  referenceUnusable: '证件照片中无法识别人脸，请改用其他方式核验身份。',
  engine: {
    loading: '正在载入人脸识别模型…',
    modelLoadFailed: '人脸识别模型载入失败，请检查安装是否完整。',
    backendUnavailable: '本机无法运行人脸识别（图形加速和备用方式均不可用），请联系技术支持。',
    notReady: '人脸识别模型尚未载入，请稍候。',
    imageInvalid: '图像数据不正确，请重新拍摄。',
  },
  /** Standard photo capture: one retake instruction per failed check. */
  photo: {
    ok: '照片符合要求。',
    retakeTitle: '请重新拍摄：',
    checks: {
      noFace: '未检测到人脸：请考生正对摄像头，露出整个面部。',
      multipleFaces: '检测到多张人脸：画面中只能有考生一人。',
      faceTooSmall: '人脸太小：请考生靠近摄像头一些。',
      faceTooLarge: '人脸太大：请考生离摄像头远一些。',
      offCentre: '人脸不在画面中央：请考生移到画面正中。',
      tilted: '头部歪斜：请考生保持头部端正。',
      tooDark: '光线太暗：请打开补光灯或调亮环境光线。',
      tooBright: '光线太亮：请减弱补光或避开强光直射。',
      lowContrast: '画面发灰、对比度不足：请调整光线，避免逆光。',
      blurred: '照片模糊：请考生保持不动，并确认镜头对焦清晰。',
      background: '背景不干净：请考生站到纯色背景布前，身后不要有人或杂物。',
      tooLarge: '照片无法压缩到规定大小，请重新拍摄。',
    },
  },
  liveness: {
    blinkPrompt: '请眨眨眼',
    turnPrompt: '请向左或向右缓慢转头，再转回正面',
    passed: '活体检测通过',
    timedOut: '活体检测超时，请重试',
    lostFace: '人脸离开画面，请重新开始',
  },
} as const;
