import { describe, expect, it } from 'vitest';
import { SavedFile } from '../../../core/contract/station-files.js';
import { sha256Hex } from '../../../core/crypto/sha256.js';
import { attachmentHeader, DownloadShelf } from '../../../host/services/file-sink.js';
import { writeDayLog } from '../../../host/exports/write-day-log.js';
import { buildDayLog } from '../../../core/day-log/build-day-log.js';
import { input, sampleDay } from './exports/day-log-fixtures.js';

const file = (n: number) => ({ fileName: `现场确认日志-${n}.csv`, bytes: new TextEncoder().encode(`row ${n}`), mime: 'text/csv', kind: 'export' as const });

describe('download shelf (browser host)', () => {
  it('hands each file out once under an unguessable path, and forgets it after ten minutes', async () => {
    let now = 0;
    const shelf = new DownloadShelf(() => now);
    const saved = await shelf.save(file(1));
    expect(SavedFile.parse(saved)).toEqual(saved);
    expect(saved.sha256).toBe(sha256Hex(file(1).bytes));
    expect(saved.downloadPath).toMatch(/^\/download\/[A-Za-z0-9_-]{32}$/);
    expect(shelf.take('/download/not-a-real-path-at-all')).toBeUndefined();
    expect(new TextDecoder().decode(shelf.take(saved.downloadPath!)!.bytes)).toBe('row 1');
    expect(shelf.take(saved.downloadPath!)).toBeUndefined();

    const later = await shelf.save(file(2));
    now += 10 * 60_000;
    expect(shelf.take(later.downloadPath!)).toBeUndefined();
  });

  it('keeps at most eight files waiting, dropping the oldest', async () => {
    const shelf = new DownloadShelf();
    const paths = [];
    for (let n = 0; n < 9; n++) paths.push((await shelf.save(file(n))).downloadPath!);
    expect(shelf.take(paths[0]!)).toBeUndefined();
    expect(shelf.take(paths[8]!)?.fileName).toBe('现场确认日志-8.csv');
  });

  it('names Chinese files for every browser', () => {
    expect(attachmentHeader('现场确认日志-ZZ01-2026-11-23.xlsx')).toBe(
      `attachment; filename="______-ZZ01-2026-11-23.xlsx"; filename*=UTF-8''${encodeURIComponent('现场确认日志-ZZ01-2026-11-23.xlsx')}`,
    );
  });

  it('writes the asked-for format with its file name and type', async () => {
    const log = buildDayLog(input(sampleDay()));
    const csv = await writeDayLog({ format: 'csv', log });
    expect(csv.mime).toBe('text/csv; charset=utf-8');
    expect(csv.fileName.endsWith('.csv')).toBe(true);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const xlsx = await writeDayLog({ format: 'xlsx', log });
    expect(Buffer.from(xlsx.bytes.subarray(0, 2)).toString('latin1')).toBe('PK');
  });
});
