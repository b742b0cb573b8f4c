import {
  callSpec,
  isCallName,
  type CallArgs,
  type CallName,
  type CallResult,
  type Role,
} from '../contract/station-api.js';
import type { WireReply } from '../contract/wire.js';
import {
  AccessDeniedError,
  InternalError,
  type StationError,
  UnknownMethodError,
  ValidationError,
  toStationError,
  toWireError,
} from '../errors/station-error.js';
import { stationApi } from '../contract/station-api.js';
import { describeIssues } from './describe-issues.js';
// Kept in its own module so contracts can use it without importing the dispatcher (and the whole API).
export { describeIssues };

export type Handlers<R extends Role> = {
  [M in CallName<R>]: (args: CallArgs<R, M>) => Promise<CallResult<R, M>> | CallResult<R, M>;
};

export type Dispatch = (method: unknown, payload: unknown) => Promise<WireReply>;

/** Called for every failed call, so hosts can log codes (never payloads: they may hold personal data). */
export type FailureListener = (role: Role, method: string, error: StationError) => void;

/** Method names from callers are echoed in errors and logs only when they look like one of ours. */
function methodLabel(method: unknown): string {
  if (typeof method !== 'string') return `<${typeof method}>`;
  return /^[a-z][a-zA-Z]{0,30}\.[a-z][a-zA-Z]{0,30}$/.test(method) ? method : '<unrecognised name>';
}

function otherRoleHas(role: Role, method: string): boolean {
  return (Object.keys(stationApi) as Role[]).some((other) => other !== role && isCallName(other, method));
}

/**
 * The one place where inbound calls are checked: the method must belong to the caller's bridge,
 * the payload must match its schema, and the handler's result must match the declared output.
 * Whatever happens, the caller gets a WireReply; nothing thrown escapes.
 */
export function createDispatcher<R extends Role>(role: R, handlers: Handlers<R>, onFailure?: FailureListener): Dispatch {
  return async (method, payload) => {
    const label = methodLabel(method);
    try {
      if (!isCallName(role, method)) {
        if (typeof method === 'string' && otherRoleHas(role, method)) {
          throw new AccessDeniedError(`${role} bridge may not call ${label}`);
        }
        throw new UnknownMethodError(`no method ${label} on the ${role} bridge`);
      }
      const spec = callSpec(role, method);
      const parsed = spec.input.safeParse(payload);
      if (!parsed.success) throw new ValidationError(`${label}: ${describeIssues(parsed.error)}`);
      const handler = handlers[method] as (args: unknown) => unknown;
      const value: unknown = await handler(parsed.data);
      const checked = spec.output.safeParse(value);
      if (!checked.success) throw new InternalError(`${label} returned an invalid result: ${describeIssues(checked.error)}`);
      return { ok: true, value: checked.data };
    } catch (thrown) {
      const error = toStationError(thrown);
      try {
        onFailure?.(role, label, error);
      } catch {
        // Reporting a failure must never turn it into a rejected call.
      }
      return { ok: false, error: toWireError(error) };
    }
  };
}
