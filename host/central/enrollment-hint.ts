import { EnrollmentHint } from '../../core/contract/station-api.js';
import type { Logger } from '../../core/logging/logger.js';

/**
 * `npm start` runs an embedded central server and passes its address, the sample point and a fresh one-time code
 * as STATION_ENROLLMENT_HINT (JSON), so a first user can enroll without copying them from the console.
 */
export function enrollmentHintFromEnv(env: Record<string, string | undefined>, logger: Logger): EnrollmentHint | undefined {
  const raw = env['STATION_ENROLLMENT_HINT'];
  if (!raw) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = undefined;
  }
  const parsed = EnrollmentHint.safeParse(json);
  if (!parsed.success) {
    logger.warn('enrollment hint ignored', { reason: 'invalid STATION_ENROLLMENT_HINT' });
    return undefined;
  }
  return parsed.data;
}
