import { describeIssues } from '../core/api/describe-issues.js';
import { eventSchema, type EventName, type EventPayload, type Role } from '../core/contract/station-api.js';
import { InternalError } from '../core/errors/station-error.js';

export type EventListener = (event: string, payload: unknown) => void;

/** Host → renderer events, per bridge. Payloads are checked against the contract before they leave. */
export class EventHub {
  readonly #listeners = new Map<Role, Set<EventListener>>();

  emit<R extends Role, E extends EventName<R>>(role: R, event: E, payload: EventPayload<R, E>): void {
    const parsed = eventSchema(role, event).safeParse(payload);
    if (!parsed.success) throw new InternalError(`event ${event} failed the contract: ${describeIssues(parsed.error)}`);
    for (const listener of this.#listeners.get(role) ?? []) listener(event, parsed.data);
  }

  subscribe(role: Role, listener: EventListener): () => void {
    let set = this.#listeners.get(role);
    if (!set) this.#listeners.set(role, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }
}
