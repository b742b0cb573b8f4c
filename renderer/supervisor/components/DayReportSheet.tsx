import { createPortal } from 'react-dom';
import type { DayReport, DayReportTable } from '../../../core/day-log/day-report.js';
import '../../printing/print.css';
import './day-report.css';

function Table(props: { table: DayReportTable; exceptions?: boolean }) {
  const { table } = props;
  return (
    <table className={`day-report-print__table${props.exceptions ? ' day-report-print__table--exceptions' : ''}`}>
      <thead>
        <tr>
          {table.columns.map((column) => (
            <th key={column}>{column}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((cells, i) => (
          <tr key={i}>
            {cells.map((cell, j) => (
              <td key={j}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The printed day report (打印日报): the same content as the exported PDF (core/day-log/day-report.ts), laid out
 * for A4 by day-report.css. Never shown on screen; on paper only when it is the chosen sheet (print.css).
 */
export function DayReportSheet(props: { report: DayReport | undefined; day: string | undefined }) {
  const { report } = props;
  if (!report) return null;
  return createPortal(
    <div className="print-sheet day-report-print" data-print-sheet="day-report" data-testid="day-report-sheet" data-day={props.day}>
      <h1>{report.title}</h1>
      {report.lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
      <p>{report.total}</p>
      {report.counts.map((table) => (
        <section key={table.title}>
          <h2>{table.title}</h2>
          <Table table={table} />
        </section>
      ))}
      <section>
        <h2>{report.sync.title}</h2>
        <p>{report.sync.text}</p>
      </section>
      <section>
        <h2>{report.exceptions.title}</h2>
        <p>{report.exceptions.summary}</p>
        {report.exceptions.table && <Table table={report.exceptions.table} exceptions />}
        {report.exceptions.more && <p>{report.exceptions.more}</p>}
      </section>
      <footer className="day-report-print__signatures">
        {report.signatures.map((label) => (
          <span key={label}>
            {label}
            <span className="day-report-print__line" />
          </span>
        ))}
      </footer>
    </div>,
    document.body,
  );
}
