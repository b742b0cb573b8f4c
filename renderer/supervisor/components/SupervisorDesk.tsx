import { useState, type ReactNode } from 'react';
import { zhCN } from '../../../core/i18n/zh-CN.js';

const t = zhCN.supervisorDesk;
export type DeskTab = keyof typeof t.tabs;

/** 主管工作台: the review queue, the day's exports and the day close, one tab each. */
export function SupervisorDesk(props: { onTab: (tab: DeskTab) => void; review: ReactNode; exports: ReactNode; close: ReactNode }) {
  const [tab, setTab] = useState<DeskTab>('review');
  const choose = (next: DeskTab) => {
    setTab(next);
    props.onTab(next);
  };
  return (
    <main className="supervisor" data-testid="supervisor-desk">
      <nav className="supervisor__tabs" aria-label={t.title}>
        {(Object.keys(t.tabs) as DeskTab[]).map((key) => (
          <button key={key} type="button" className={`button${tab === key ? ' button--primary' : ''}`} onClick={() => choose(key)} data-testid={`desk-tab-${key}`}>
            {t.tabs[key]}
          </button>
        ))}
      </nav>
      {tab === 'review' && props.review}
      {tab === 'export' && props.exports}
      {tab === 'close' && props.close}
    </main>
  );
}
