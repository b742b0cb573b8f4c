import { describe, expect, it } from 'vitest';
import { SamFrameParser } from '../../../../native/idcard-reader/frame-parser.js';
import { encodeNamedCommand, encodeResponse, toHex } from '../../../../native/idcard-reader/sam-protocol.js';
import {
  fromInputReport,
  fromOutputReport,
  toInputReports,
  toOutputReport,
  toOutputReports,
  type HidReportOptions,
} from '../../../../native/transport/hid-reports.js';

const find = encodeNamedCommand('findCard');
/** A reply of the size of a `30 10` answer with 1024 fingerprint bytes (2321 bytes). */
const bigReply = encodeResponse(0x90, new Uint8Array(2310).map((_, i) => (i * 7) & 0xff));

function reassemble(reports: Uint8Array[], options: Pick<HidReportOptions, 'reportId'>): Uint8Array[] {
  const parser = new SamFrameParser();
  const frames: Uint8Array[] = [];
  for (const report of reports) {
    for (const item of parser.push(fromInputReport(report, options))) {
      if (item.kind === 'frame') frames.push(item.frame);
    }
  }
  return frames;
}

describe('output reports (host → device)', () => {
  it('unnumbered (report id 0): 0x00 + frame zero-padded to 64 = 65 bytes, as hidapi wants', () => {
    const report = toOutputReport(find);
    expect(report.length).toBe(65);
    expect(report[0]).toBe(0);
    expect(toHex(report.subarray(1, 11))).toBe('AAAAAA96690003200122');
    expect(report.subarray(11).every((b) => b === 0)).toBe(true);
    expect(fromOutputReport(report, { reportId: 0 })).toEqual(report.subarray(1));
  });

  it('numbered: the id byte first, then reportSize bytes', () => {
    const report = toOutputReport(find, { reportSize: 63, reportId: 2 });
    expect(report.length).toBe(64);
    expect(report[0]).toBe(2);
    expect(toHex(report.subarray(1, 11))).toBe('AAAAAA96690003200122');
    expect(fromOutputReport(report, { reportId: 2 }).length).toBe(63);
  });

  it('raw (reportId null): no id byte at all', () => {
    const report = toOutputReport(find, { reportSize: 64, reportId: null });
    expect(report.length).toBe(64);
    expect(toHex(report.subarray(0, 10))).toBe('AAAAAA96690003200122');
    expect(fromOutputReport(report, { reportId: null })).toBe(report);
  });

  it('splits frames longer than one report; toOutputReport refuses them', () => {
    const long = new Uint8Array(100).fill(1);
    const reports = toOutputReports(long);
    expect(reports.map((r) => r.length)).toEqual([65, 65]);
    expect(reports[1]!.subarray(1, 37).every((b) => b === 1)).toBe(true);
    expect(reports[1]!.subarray(37).every((b) => b === 0)).toBe(true);
    expect(() => toOutputReport(long)).toThrow(RangeError);
    expect(toOutputReports(new Uint8Array(0))).toHaveLength(1);
  });

  it('rejects impossible options', () => {
    expect(() => toOutputReports(find, { reportSize: 0, reportId: 0 })).toThrow(RangeError);
    expect(() => toOutputReports(find, { reportSize: 64, reportId: 256 })).toThrow(RangeError);
    expect(() => toInputReports(find, { reportSize: 1.5, reportId: null })).toThrow(RangeError);
  });
});

describe('input reports (device → host)', () => {
  it('a 2321-byte reply takes 37 unnumbered 64-byte reports and reassembles exactly', () => {
    expect(bigReply.length).toBe(2321);
    const reports = toInputReports(bigReply);
    expect(reports).toHaveLength(37);
    expect(reports.every((r) => r.length === 64)).toBe(true);
    expect(toHex(reports[0]!.subarray(0, 5))).toBe('AAAAAA9669'); // the frame starts at byte 0
    expect(reports[36]!.subarray(2321 - 36 * 64).every((b) => b === 0)).toBe(true);
    expect(reassemble(reports, { reportId: 0 })).toEqual([bigReply]);
  });

  it('numbered reports carry the id first; the host strips it before parsing', () => {
    const reports = toInputReports(bigReply, { reportSize: 63, reportId: 3 });
    expect(reports).toHaveLength(37);
    expect(reports.every((r) => r.length === 64 && r[0] === 3)).toBe(true);
    expect(fromInputReport(reports[0]!, { reportId: 3 }).length).toBe(63);
    expect(reassemble(reports, { reportId: 3 })).toEqual([bigReply]);
    // Without stripping, the id bytes would corrupt the frame.
    expect(reassemble(reports, { reportId: 0 })).toEqual([]);
  });

  it('ignores reports with another id (another collection of the device)', () => {
    expect(fromInputReport(Uint8Array.of(4, 1, 2), { reportId: 3 })).toEqual(new Uint8Array(0));
    expect(fromInputReport(Uint8Array.of(4, 1, 2), { reportId: null })).toEqual(Uint8Array.of(4, 1, 2));
  });

  it('raw reports and odd report sizes', () => {
    const reports = toInputReports(bigReply, { reportSize: 32, reportId: null });
    expect(reports).toHaveLength(Math.ceil(2321 / 32));
    expect(reassemble(reports, { reportId: null })).toEqual([bigReply]);
    const read = encodeResponse(0x90, new Uint8Array(1284));
    expect(toInputReports(read)).toHaveLength(Math.ceil(1295 / 64));
  });

  it('several frames in a row, each starting a new report', () => {
    const frames = [find, bigReply, encodeResponse(0x80)];
    const reports = frames.flatMap((f) => toInputReports(f));
    expect(reassemble(reports, { reportId: 0 })).toEqual(frames);
  });
});
