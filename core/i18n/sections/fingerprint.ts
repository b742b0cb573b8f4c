/** User-facing text for the fingerprint feature; part of the one catalogue as `zhCN.fingerprint` (see ../zh-CN.ts). */
export const fingerprintText = {
  /** Transfer problems: the scanner or cable, not the finger. */
  transfer: '与指纹仪通信出错，请重新采集；如反复出现，请拔插指纹仪USB线。',
  timeout: '指纹仪无响应，请检查USB连接；插好后会自动恢复。',
  disconnected: '指纹仪已断开，请检查USB连接；插好后会自动恢复。',
  notOpen: '指纹仪尚未就绪，请稍候再试。',
  busy: '指纹仪正在采集，请等本次采集结束。',
  cancelled: '指纹采集已取消。',
  noFinger: '未检测到手指：请将手指平放在指纹仪采集窗上，按压到提示完成。',
  poorImage: '指纹图像不清晰：请擦干手指和采集窗，将手指平放并稍用力按压，保持不动。',
  poorQuality: (quality: number, minimum: number) =>
    `指纹质量为 ${quality}，低于要求的 ${minimum}：请擦干手指和采集窗后重新按压。`,
  fingerLifted: '采集过程中手指离开了采集窗，请重新按压并保持不动。',
  wrongPassword: '指纹仪密码验证失败，请确认指纹仪型号和配置。',
  badPayload: '指纹仪返回的数据不完整，请重新采集。',
  /** R30x/AS60x confirmation codes. */
  status: {
    0x01: '指纹仪接收数据出错，请重新采集。',
    0x02: '未检测到手指，请将手指平放在采集窗上。',
    0x03: '指纹录入失败，请擦干手指后重新按压。',
    0x06: '指纹图像太乱，请擦干手指和采集窗后重新按压。',
    0x07: '指纹特征点太少，请将手指平放并稍用力按压。',
    0x08: '两枚指纹不匹配。',
    0x0d: '指纹特征上传失败，请重新采集。',
    0x0e: '指纹仪不能接收后续数据，请重新采集。',
    0x0f: '指纹图像上传失败，请重新采集。',
    0x15: '指纹图像无效，请重新按压。',
    0x13: '指纹仪密码不正确，请确认指纹仪配置。',
    0x21: '指纹仪需要先验证密码，请确认指纹仪配置。',
  } as Record<number, string>,
  unknownStatus: (code: string) => `指纹仪返回错误（代码 ${code}），请重新采集；如反复出现，请联系技术支持。`,
  /** The Windows vendor SDK (DLL) slot. */
  sdkNotAvailable: '未找到指纹仪厂商驱动库（DLL），请安装厂商驱动后重新启动工作站，或联系技术支持。',
  sdkUnsupportedPlatform: '厂商指纹驱动只能在 Windows 上使用。',
  sdkLoadFailed: '指纹仪厂商驱动库无法加载（版本或32/64位不匹配），请联系技术支持。',
  sdkNoDevice: '厂商驱动未找到指纹仪，请检查USB连接。',
  sdkError: (code: number) => `指纹仪厂商驱动返回错误（代码 ${code}），请重新采集；如反复出现，请联系技术支持。`,
  configInvalid: '指纹仪配置不正确，请检查工作站配置文件。',
  /** Capture session and duplicate check. */
  duplicateFinger: '两次采集的似乎是同一根手指，请按要求换另一根手指重新采集。',
  belowThresholdKept: (quality: number, minimum: number) =>
    `多次采集仍未达到质量要求（最好一次为 ${quality}，要求 ${minimum}），已保留质量最好的一次。`,
  prompts: {
    place: '请将手指平放在指纹仪上',
    hold: '正在采集，请保持不动…',
    lift: '采集完成，请抬起手指',
    attempt: (n: number, max: number) => `第 ${n} 次采集（最多 ${max} 次）`,
  },
  /** The host no longer holds a capture the duplicate check names (new session, or too long ago). */
  captureExpired: '该次指纹采集已失效，请重新采集。',
  duplicateCheckFailed: '无法完成两枚指纹的比对，请重新采集后一枚手指。',
  /** The 信息采集 fingerprint panel. */
  panel: {
    title: '指纹采集',
    capture: '采集',
    retake: '重新采集',
    confirm: '确认指纹',
    cancel: '取消采集',
    chooseOther: '换其他手指',
    chooseOtherLabel: '改采手指',
    markUnavailable: '无法采集（需主管审批）',
    status: {
      pending: '待采集',
      capturing: '采集中…',
      captured: '待确认',
      confirmed: '已确认',
      unavailable: '无法采集',
    },
    quality: (quality: number, minimum: number) => `质量 ${quality}（要求不低于 ${minimum}）`,
    attempts: (n: number) => `已采集 ${n} 次`,
    imageAlt: (finger: string) => `${finger}指纹图像`,
    /** Recorded as the reason of a finger taken instead of the one asked for. */
    substituted: (original: string) => `代替${original}采集`,
    /** Recorded when staff kept a capture below the quality threshold after the retries. */
    keptBelowThreshold: (quality: number, minimum: number) => `质量 ${quality} 低于要求 ${minimum}，经工作人员确认保留`,
    approvedBy: (name: string, reason: string) => `${name}已批准：${reason}`,
    noScanner: '指纹仪未就绪：请检查指纹仪连接；如设备故障，可由主管审批后标记无法采集。',
    chipFingerprint: '身份证芯片含指纹信息，已随记录保存（与现场指纹比对需厂商认证算法）。',
  },
  /** ISO/IEC 19794 / ANSI-NIST finger positions (0 = unknown). */
  fingers: {
    0: '未知手指',
    1: '右手拇指',
    2: '右手食指',
    3: '右手中指',
    4: '右手环指',
    5: '右手小指',
    6: '左手拇指',
    7: '左手食指',
    8: '左手中指',
    9: '左手环指',
    10: '左手小指',
  } as Record<number, string>,
} as const;
