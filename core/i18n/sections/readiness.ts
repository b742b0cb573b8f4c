/** The readiness check before each candidate; part of the one catalogue as `zhCN.readiness`. Each problem says what to do. */
export const readinessText = {
  title: '办理前检查',
  allGood: '工作站状态正常。',
  blockingNote: '以下问题解决前不能开始办理：',
  recheck: '重新检查',
  diskLow: (free: string) => `磁盘剩余空间仅 ${free}，无法可靠保存照片和指纹。请联系技术支持清理磁盘，或由主管导出日志、完成日结后再继续。`,
  diskTight: (free: string) => `磁盘剩余空间 ${free}，偏少。请在今日结束前联系技术支持清理。`,
  diskUnknown: '无法读取磁盘剩余空间。请检查工作站数据目录是否可用。',
  deviceMissing: (device: string) => `${device}未就绪：请检查连接线并重新插拔；仍不行请联系技术支持。`,
  readerMissing: '身份证阅读器未就绪：可改用“拍照识别”或手工录入，但需在记录中注明；请检查阅读器连接。',
  clockOff: (minutes: number) => `本机时间与中心服务器相差约 ${minutes} 分钟，确认记录的时间将不可信。请将 Windows 时间设为“自动设置”并同步后再继续。`,
  clockDrift: (seconds: number) => `本机时间与中心服务器相差约 ${seconds} 秒，请尽快校准 Windows 时间。`,
  rosterAging: (hours: number, limit: number) => `报名名单已 ${hours} 小时未更新（上限 ${limit} 小时），请尽快联网同步。`,
  backlogLarge: (n: number) => `有 ${n} 条记录等待同步，请检查网络；断网时请由主管准备离线移交。`,
  backlogStale: (hours: number) => `待同步记录已 ${hours} 小时未能上传，请检查网络或联系主管。`,
  needsAttention: (n: number) => `有 ${n} 条记录同步失败需要处理，请交主管在“待复核”中查看。`,
} as const;
