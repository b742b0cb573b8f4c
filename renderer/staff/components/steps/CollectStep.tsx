import type { ReactNode } from 'react';
import { zhCN } from '../../../../core/i18n/zh-CN.js';

/** 信息采集: the capture panels of this station, and 继续 once each has what it needs. */
export function CollectStep(props: { ready: boolean; onContinue: () => void; children?: ReactNode }) {
  return (
    <section className="panel step" data-testid="step-collect">
      <h2>{zhCN.collect.title}</h2>
      {props.children}
      <div className="step__actions">
        <button className="button button--primary" type="button" disabled={!props.ready} onClick={props.onContinue} data-testid="collect-continue">
          {zhCN.collect.continue}
        </button>
      </div>
    </section>
  );
}
