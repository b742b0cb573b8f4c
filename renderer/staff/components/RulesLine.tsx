import type { RulesCurrent } from '../../../core/contract/station-api.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';

/** Which province rules the desk applies (and a note when a newer bundle waits or a download was refused). */
export function RulesLine(props: { active: RulesCurrent; notice: string | undefined }) {
  const { bundle, source } = props.active;
  return (
    <p className="hint" data-testid="rules-line" data-version={bundle.version} data-source={source}>
      {source === 'central' ? zhCN.rules.source.central(bundle.province, bundle.version) : zhCN.rules.source.builtin}
      {props.notice && <span className="message message--info"> {props.notice}</span>}
    </p>
  );
}
