import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { ExportFormat, ExportStep } from '../day-store.js';

const t = zhCN.supervisorDesk.export;

/** 导出日志 for a chosen day: XLSX, CSV or the PDF day report, numbers masked unless asked for; 打印日报. */
export function ExportPanel(props: {
  day: string;
  fullNumbers: boolean;
  exporting: { format: ExportFormat; step: ExportStep; progress: number } | undefined;
  result: { ok: boolean; message: string } | undefined;
  onDay: (day: string) => void;
  onFullNumbers: (on: boolean) => void;
  onExport: (format: ExportFormat) => void;
  printing: boolean;
  printResult: { ok: boolean; message: string } | undefined;
  onPrint: () => void;
}) {
  const busy = props.exporting !== undefined;
  return (
    <section className="panel" aria-label={zhCN.supervisorDesk.tabs.export} data-testid="export-panel">
      <label className="field">
        <span>{t.day}</span>
        <input type="date" value={props.day} onChange={(event) => event.target.value && props.onDay(event.target.value)} data-testid="export-day" />
      </label>
      <label className="choice">
        <input type="checkbox" checked={props.fullNumbers} onChange={(event) => props.onFullNumbers(event.target.checked)} data-testid="export-full-numbers" />
        {t.fullNumbers}
      </label>
      <div className="dialog__actions">
        {(['xlsx', 'csv', 'pdf'] as const).map((format) => (
          <button key={format} className="button button--primary" type="button" disabled={busy} onClick={() => props.onExport(format)} data-testid={`export-${format}`}>
            {t[format]}
          </button>
        ))}
        <button className="button" type="button" disabled={busy || props.printing} onClick={props.onPrint} data-testid="print-day-report">
          {props.printing ? t.printing : t.print}
        </button>
      </div>
      {props.exporting && (
        <div data-testid="export-progress">
          <progress className="progress" value={props.exporting.progress} max={1} />
          <p className="hint">{t.steps[props.exporting.step]}</p>
        </div>
      )}
      {props.result && (
        <p className={`message ${props.result.ok ? 'message--success' : 'message--error'}`} role="status" data-testid="export-result">
          {props.result.message}
        </p>
      )}
      {props.printResult && (
        <p className={`message ${props.printResult.ok ? 'message--success' : 'message--error'}`} role="status" data-testid="print-day-report-result">
          {props.printResult.message}
        </p>
      )}
    </section>
  );
}
