/** User-facing text for the audit log; part of the one catalogue as `zhCN.audit` (see ../zh-CN.ts). */
export const auditText = {
  title: '审计日志',
  /** Why a link of the chain is broken, as the station or the server found it. */
  reasons: {
    changed: '内容被修改',
    removed: '记录缺失',
    reordered: '顺序被打乱',
    inserted: '被插入额外记录',
    'bad-link': '与前一条记录不衔接',
    malformed: '格式不正确',
    conflict: '与服务器已收到的内容不一致',
  },
  /** One break the server flagged in this station's chain. */
  serverBreak: (seq: number, reason: string) => `中心服务器发现本机审计日志第 ${seq} 条${reason}，请联系主管和技术支持核查。`,
  breaksCount: (n: number) => `审计日志异常 ${n} 处`,
  intact: '审计日志完整',
  /** The last entry cannot be chained to: nothing more is appended until someone looks. */
  damaged: '本机审计日志最后一条记录已损坏，无法继续记录。请联系技术支持核查后再继续。',
  notInTransaction: '审计记录未能写入（程序错误），请联系技术支持。',
  detailRefused: '审计记录中不能包含身份证号、姓名等个人信息。',
  shipped: (seq: number) => `已上传至第 ${seq} 条`,
} as const;
