import { type ErrorCode, StationError } from '../errors/station-error.js';
import { zhCN } from '../i18n/zh-CN.js';

/** Why a rules bundle is refused; each has its own Chinese message in zhCN.rules.refused. */
export const rulesRefusals = ['not-rules', 'wrong-point', 'no-server-key', 'unknown-key', 'bad-signature', 'content-invalid', 'version-conflict', 'reserved-version'] as const;
export type RulesRefusal = (typeof rulesRefusals)[number];

const baseCode: Record<RulesRefusal, ErrorCode> = {
  'not-rules': 'VALIDATION',
  'wrong-point': 'VALIDATION',
  'no-server-key': 'INVALID_STATE',
  'unknown-key': 'UNAUTHORIZED',
  'bad-signature': 'UNAUTHORIZED',
  'content-invalid': 'VALIDATION',
  'version-conflict': 'INVALID_STATE',
  'reserved-version': 'VALIDATION',
};

/** A rules bundle that must not be used or published; `reason` is stable, the message is for people. */
export class RulesError extends StationError {
  override readonly reason: RulesRefusal;

  constructor(reason: RulesRefusal, detail: string) {
    super(baseCode[reason], zhCN.rules.refused[reason], `${reason}: ${detail}`);
    this.reason = reason;
  }
}
