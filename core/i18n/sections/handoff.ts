/** User-facing text for the handoff bundle (离线移交) and the day close (日结); part of the catalogue as `zhCN.handoff`. */
export const handoffText = {
  /** Why the central server refuses a bundle file (admin CLI import). */
  refused: {
    'not-a-bundle': '该文件不是现场确认工作站生成的离线移交文件，或文件不完整（可能复制中断），未导入。',
    'too-large': '离线移交文件超过大小上限，未导入。请按天分别生成移交文件。',
    'wrong-server-key': '该移交文件不是加密给本中心服务器的（中心密钥不符），无法解密，未导入。请确认工作站注册的是本服务器。',
    tampered: '移交文件内容已损坏或被篡改，解密校验失败，未导入。请让确认点重新生成移交文件。',
    'bad-signature': '移交文件的工作站签名校验失败：文件被篡改，或不是该工作站生成的，未导入。',
    'station-unknown': '生成该移交文件的工作站未在中心服务器注册，未导入。',
    'station-revoked': '生成该移交文件的工作站已被停用，移交文件未导入，请联系确认点主管核实。',
    'content-invalid': '移交文件中的数据不符合要求（如附件校验值不符），未导入。请让确认点重新生成移交文件。',
  },
  /** Why the station cannot build a bundle. */
  build: {
    notEnrolled: '本工作站尚未在中心服务器注册，无法生成离线移交文件：移交文件只能加密给已注册的中心服务器。',
    noServerKey: '本工作站还没有中心服务器的移交公钥，无法生成离线移交文件。请在网络可用时打开“数据同步”刷新一次注册信息。',
    tooLarge: (mb: number) => `当天数据超过离线移交文件上限（${mb} MB），请联系技术支持分批移交。`,
    blobMismatch: '有附件的校验值与内容不符，未生成移交文件。请重试；如反复出现，请联系技术支持。',
    stationMismatch: '日结记录不属于本工作站或本确认点，未生成移交文件。',
    needsSupervisor: '日结须由主管登录后执行。',
  },
  dayClose: {
    conflict: '同一编号的日结记录已以不同内容提交，本次未被接收，请联系技术支持。',
    badSignature: '日结记录的工作站签名校验失败，未被接收。',
    stationMismatch: '日结记录不属于提交它的工作站，未被接收。',
  },
} as const;
