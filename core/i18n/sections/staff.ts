/** User-facing text for staff accounts and sign-in; part of the one catalogue as `zhCN.accounts` (zhCN.staff is the staff window) (see ../zh-CN.ts). */
export const staffText = {
  roles: {
    operator: '操作员',
    supervisor: '主管',
  },
  signIn: {
    title: '工作人员登录',
    account: '账号',
    password: '密码',
    submit: '登录',
    busy: '正在验证…',
    signOut: '退出登录',
    switchUser: '切换操作员',
    signedInAs: (name: string, role: string) => `当前登录：${name}（${role}）`,
  },
  idleLock: {
    title: '屏幕已锁定',
    countdown: (seconds: number) => `无操作，${seconds} 秒后锁定屏幕`,
    locked: '长时间无操作，屏幕已锁定。请重新登录；换人办理时由下一位工作人员直接登录。',
  },
  /** The same text for a wrong password, an unknown account and a disabled one: no account enumeration. */
  rejected: '账号或密码不正确。',
  lockedOut: (minutes: number) => `密码错误次数过多，该账号已锁定，请 ${minutes} 分钟后再试。`,
  signInRequired: '请先登录。',
  supervisorRequired: '此操作需要主管登录。',
  noAccounts: '本工作站还没有工作人员账号：请注册本工作站并同步名单，或在工作站配置中添加主管（supervisors）。',
  storeInvalid: '本机保存的工作人员账号已损坏，请同步名单以重新下载账号。',
  server: {
    exists: '该确认点已有此账号。',
    notFound: '该确认点没有此账号。',
    passwordTooShort: '密码至少 6 位。',
  },
} as const;
