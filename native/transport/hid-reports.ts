/**
 * Byte frames ↔ fixed-size HID reports (spec §9.3), written once and used by the real HID transport and by the
 * simulated one, so tests of the simulator exercise the same splitting and report-id handling as hardware.
 *
 * Buffers are seen from the host library's side (hidapi/node-hid):
 * - `reportId: 0`: the device uses unnumbered reports. hidapi wants a leading 0x00 on write (and strips it
 *   before the wire); reads return the bare report.
 * - `reportId: n` (1–255): numbered reports. Writes and reads both carry `n` as their first byte.
 * - `reportId: null`: no report-id byte on either side (raw interrupt data, for backends that do not follow
 *   hidapi's rule).
 */

export interface HidReportOptions {
  /** Payload bytes per report, excluding any report-id byte (64 for a full-speed interrupt endpoint). */
  reportSize: number;
  reportId: number | null;
}

export const defaultHidReportOptions: Readonly<HidReportOptions> = { reportSize: 64, reportId: 0 };

function checkOptions({ reportSize, reportId }: HidReportOptions): void {
  if (!Number.isInteger(reportSize) || reportSize < 1) throw new RangeError(`reportSize ${reportSize}`);
  if (reportId !== null && (!Number.isInteger(reportId) || reportId < 0 || reportId > 0xff)) {
    throw new RangeError(`reportId ${reportId}`);
  }
}

/** Chunks of `reportSize` bytes, the last one zero padded; devices ignore the padding after a frame. */
function chunks(bytes: Uint8Array, reportSize: number, prefix: number | null): Uint8Array[] {
  const head = prefix === null ? 0 : 1;
  const count = Math.max(1, Math.ceil(bytes.length / reportSize));
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i += 1) {
    const report = new Uint8Array(head + reportSize);
    if (prefix !== null) report[0] = prefix;
    report.set(bytes.subarray(i * reportSize, (i + 1) * reportSize), head);
    out.push(report);
  }
  return out;
}

/** Host → device: the buffers to hand to hidapi's write(), in order. */
export function toOutputReports(frame: Uint8Array, options: HidReportOptions = defaultHidReportOptions): Uint8Array[] {
  checkOptions(options);
  return chunks(frame, options.reportSize, options.reportId);
}

/** Host → device for frames known to fit one report (every SAM command is ≤ 11 bytes). */
export function toOutputReport(frame: Uint8Array, options: HidReportOptions = defaultHidReportOptions): Uint8Array {
  if (frame.length > options.reportSize) {
    throw new RangeError(`${frame.length} bytes do not fit one ${options.reportSize}-byte report`);
  }
  return toOutputReports(frame, options)[0]!;
}

/** Device side of toOutputReports (simulators): the report payload the firmware sees, padding included. */
export function fromOutputReport(report: Uint8Array, options: Pick<HidReportOptions, 'reportId'>): Uint8Array {
  return options.reportId === null ? report : report.subarray(1);
}

/** Device → host (simulators): what hidapi's read() returns for each IN report carrying `frame`. */
export function toInputReports(frame: Uint8Array, options: HidReportOptions = defaultHidReportOptions): Uint8Array[] {
  checkOptions(options);
  // hidapi returns unnumbered reports without the 0 id, numbered ones with their id first.
  return chunks(frame, options.reportSize, options.reportId ? options.reportId : null);
}

/**
 * Host side of an IN report: the raw bytes for the frame parser, padding included (the parser skips it).
 * A numbered report with another id belongs to another collection of the device and yields no bytes.
 */
export function fromInputReport(report: Uint8Array, options: Pick<HidReportOptions, 'reportId'>): Uint8Array {
  if (!options.reportId) return report;
  return report[0] === options.reportId ? report.subarray(1) : new Uint8Array(0);
}
