import { createDispatcher, type Dispatch, type Handlers } from '../../core/api/dispatcher.js';
import { stationApi, type Role } from '../../core/contract/station-api.js';
import { InternalError } from '../../core/errors/station-error.js';

/** The real dispatcher over the handlers a test needs; every other call fails loudly if it is made. */
export function dispatcherFor<R extends Role>(role: R, handlers: Partial<Handlers<R>>): Dispatch {
  const all = Object.fromEntries(
    Object.keys(stationApi[role].calls).map((method) => [
      method,
      (handlers as Record<string, unknown>)[method] ??
        (() => {
          throw new InternalError(`test did not expect ${method}`);
        }),
    ]),
  ) as Handlers<R>;
  return createDispatcher(role, all);
}
