import { describe, expect, it } from 'vitest';
import { createJsonLogger, redactPersonalNumbers } from '../../../core/logging/logger.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, sink: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('core logger', () => {
  it('writes one JSON line per call, errors to the error stream', () => {
    const { out, err, sink } = capture();
    const log = createJsonLogger('sync', sink, () => new Date('2026-12-03T08:00:00Z'));
    log.info('batch sent', { count: 3 });
    log.warn('slow reply');
    log.error('server refused', { code: 'E_AUTH' });
    expect(out.map((l) => JSON.parse(l))).toEqual([
      { t: '2026-12-03T08:00:00.000Z', level: 'info', scope: 'sync', message: 'batch sent', count: 3 },
      { t: '2026-12-03T08:00:00.000Z', level: 'warn', scope: 'sync', message: 'slow reply' },
    ]);
    expect(JSON.parse(err[0]!)).toMatchObject({ level: 'error', code: 'E_AUTH' });
  });

  it('masks citizen numbers that slip into a message or a field', () => {
    const { out, sink } = capture();
    createJsonLogger('t', sink).info('lookup 41010520020314022X failed', { id: '410105200203140223', old: '410105020314022' });
    const line = out[0]!;
    expect(line).not.toContain('20020314');
    expect(line).not.toContain('020314');
    expect(line).toContain('410105********022X');
    expect(line).toContain('410105********0223');
  });

  it('leaves other numbers alone: counts, timestamps, hashes and longer digit runs', () => {
    expect(redactPersonalNumbers('took 1733212800000 ms, 532 pairs')).toBe('took 1733212800000 ms, 532 pairs');
    const hex = 'a3f1410105200203140223ffee';
    expect(redactPersonalNumbers(hex)).toBe(hex);
    expect(redactPersonalNumbers('12345678901234567890')).toBe('12345678901234567890');
  });
});
