import { describe, expect, it } from 'vitest';
import { CentralError, InternalError, StationError, TimeoutError, TransportError, ValidationError } from '../../../../core/errors/station-error.js';
import { zhCN } from '../../../../core/i18n/zh-CN.js';
import { classifySyncError } from '../../../../renderer/sync/sync-error.js';

/** The shape the host link and the StationApi client produce: a StationError with reason and retryable. */
function remote(code: ConstructorParameters<typeof StationError>[0], reason: string | undefined, retryable: boolean | undefined): StationError {
  const error = new StationError(code, '服务器说明', reason);
  error.reason = reason;
  error.retryable = retryable;
  return error;
}

describe('classifySyncError', () => {
  it('retries network failures, timeouts, server errors and clock skew', () => {
    expect(classifySyncError(new TransportError('socket closed'))).toMatchObject({ transient: true, code: 'TRANSPORT' });
    expect(classifySyncError(new TimeoutError('30 s'))).toMatchObject({ transient: true, code: 'TIMEOUT' });
    expect(classifySyncError(remote('TRANSPORT', 'UNREACHABLE', true))).toMatchObject({ transient: true, code: 'UNREACHABLE' });
    expect(classifySyncError(remote('TRANSPORT', 'HTTP_503', undefined))).toMatchObject({ transient: true, code: 'HTTP_503' });
    expect(classifySyncError(remote('INTERNAL', 'INTERNAL', true))).toMatchObject({ transient: true });
    // The link retries CLOCK_SKEW once itself and then reports it as not retryable; later passes can still succeed.
    expect(classifySyncError(remote('UNAUTHORIZED', 'CLOCK_SKEW', false))).toMatchObject({ transient: true, stationWide: false, code: 'CLOCK_SKEW' });
    expect(classifySyncError({ transient: true, code: 'X' })).toMatchObject({ transient: true });
  });

  it('hands validation, revocation, bad signatures and access denials to a person', () => {
    expect(classifySyncError(new ValidationError('bad body'))).toMatchObject({ transient: false, stationWide: false, code: 'VALIDATION' });
    expect(classifySyncError(remote('ACCESS_DENIED', 'STATION_REVOKED', false))).toEqual({
      transient: false,
      stationWide: true,
      code: 'STATION_REVOKED',
      message: '服务器说明',
    });
    // Even a link that wrongly flags them retryable cannot make these loop forever.
    expect(classifySyncError(remote('UNAUTHORIZED', 'BAD_SIGNATURE', true))).toMatchObject({ transient: false, stationWide: true });
    expect(classifySyncError(remote('ACCESS_DENIED', undefined, undefined))).toMatchObject({ transient: false, stationWide: true, code: 'ACCESS_DENIED' });
    expect(classifySyncError(new CentralError('VALIDATION', 'x', 'BLOB_HASH_MISMATCH', false))).toMatchObject({ transient: false, stationWide: false });
  });

  it('follows the link’s flag for reasons it does not know, and retries what it cannot classify', () => {
    expect(classifySyncError(remote('TRANSPORT', 'HTTP_404', false))).toMatchObject({ transient: false, code: 'HTTP_404' });
    expect(classifySyncError(new InternalError('reply failed the contract'))).toMatchObject({ transient: true, code: 'INTERNAL' });
    expect(classifySyncError(new TypeError('boom'))).toEqual({ transient: true, stationWide: false, code: 'UNKNOWN', message: zhCN.sync.unexpected });
    expect(classifySyncError('thrown string')).toMatchObject({ transient: true, message: zhCN.sync.unexpected });
  });

  it('keeps the Chinese message short and never uses the developer detail', () => {
    const error = remote('INTERNAL', 'INTERNAL', true);
    expect(classifySyncError(error).message).toBe('服务器说明');
    const long = new CentralError('INTERNAL', '长'.repeat(900), 'X', true, 'detail with a value 410105200203140223');
    expect(classifySyncError(long).message).toHaveLength(500);
    expect(JSON.stringify(classifySyncError(long))).not.toContain('410105');
  });
});
