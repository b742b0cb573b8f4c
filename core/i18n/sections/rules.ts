/** User-facing text for the province rules (省级配置); part of the catalogue as `zhCN.rules`. */
export const rulesText = {
  /** Why a rules bundle is refused (station download, admin publish); each `reason` of RulesError has one. */
  refused: {
    'not-rules': '下载的省级配置格式不正确，未采用，继续使用原有配置。',
    'wrong-point': '下载的省级配置不是发给本确认点的，未采用，继续使用原有配置。',
    'no-server-key': '本工作站还没有中心服务器的配置签名公钥，无法核验省级配置，继续使用原有配置。请在网络可用时重新同步。',
    'unknown-key': '省级配置的签名密钥与本工作站注册时获得的中心服务器公钥不符，未采用，继续使用原有配置。请联系技术支持核实。',
    'bad-signature': '省级配置的签名校验失败（内容被改动，或不是本中心服务器签发），未采用，继续使用原有配置。',
    'content-invalid': '省级配置内容不符合要求，未采用。',
    'version-conflict': '该版本号已发布过不同内容的省级配置。请为修改后的配置使用新的版本号。',
    'reserved-version': '以 builtin- 开头的版本号为工作站内置配置保留，请使用其他版本号。',
  },
  storeInvalid: '本机保存的省级配置文件已损坏或被改动，已改用内置配置。请联网同步以重新下载。',
  source: {
    builtin: '内置配置（尚未从中心服务器下载省级配置）',
    central: (province: string, version: string) => `${province}省级配置 ${version}`,
  },
  /** The renderer's note while a newer bundle waits for the desk to finish the current candidate. */
  pending: (version: string) => `已下载新的省级配置 ${version}，将在办理下一位考生时启用。`,
  /** The bundle's face thresholds are for another recognition model than the one this station runs. */
  faceIgnored: (bundleRecognizer: string, stationRecognizer: string) =>
    `省级配置的人脸比对阈值针对识别模型 ${bundleRecognizer}，本工作站使用 ${stationRecognizer}，因此继续使用本工作站校准的阈值。`,
  /** The steps a point may switch off (core/rules/bundle.ts switchableStepIds). */
  steps: { faceCheck: '人脸核验', standardPhoto: '标准照采集', fingerprints: '指纹采集' },
  /** Steps the station config switches off but the province rules require. */
  forcedSteps: (steps: string) => `省级配置要求${steps}不得关闭，本工作站的“关闭”设置不生效，办理时须完成这些环节。`,
} as const;
