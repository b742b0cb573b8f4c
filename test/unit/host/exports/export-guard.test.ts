import { describe, expect, it } from 'vitest';
import { buildDayLog } from '../../../../core/day-log/build-day-log.js';
import { StationError, ValidationError } from '../../../../core/errors/station-error.js';
import { checkDayLogExport } from '../../../../host/exports/export-guard.js';
import { input, operator, sampleDay, supervisor } from './day-log-fixtures.js';

const code = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StationError);
    return (error as StationError).code;
  }
  return 'ok';
};

describe('checkDayLogExport', () => {
  const masked = JSON.parse(JSON.stringify(buildDayLog(input(sampleDay(), { generatedBy: operator })))) as unknown;
  const full = JSON.parse(JSON.stringify(buildDayLog(input(sampleDay(), { fullNumbers: true })))) as unknown;

  it('lets an operator export masked numbers and a supervisor full ones', () => {
    expect(checkDayLogExport(masked, operator).rows).toHaveLength(4);
    expect(checkDayLogExport(full, supervisor).fullNumbers).toBe(true);
  });

  it('refuses full numbers to an operator, a log made in another name, and nobody signed in', () => {
    const fullByOperator = { ...(full as object), generatedBy: operator };
    expect(code(() => checkDayLogExport(fullByOperator, operator))).toBe('ACCESS_DENIED');
    expect(code(() => checkDayLogExport(masked, supervisor))).toBe('ACCESS_DENIED');
    expect(code(() => checkDayLogExport(masked, { ...operator, role: 'supervisor' }))).toBe('ACCESS_DENIED');
    expect(code(() => checkDayLogExport(masked, undefined))).toBe('UNAUTHORIZED');
  });

  it('refuses a malformed log with a ValidationError', () => {
    expect(() => checkDayLogExport({ rows: 'all' }, supervisor)).toThrow(ValidationError);
    expect(() => checkDayLogExport(null, supervisor)).toThrow(ValidationError);
  });
});
