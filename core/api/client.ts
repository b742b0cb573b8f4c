import {
  callSpec,
  eventSchema,
  isEventName,
  type CallInput,
  type CallName,
  type CallResult,
  type EventName,
  type EventPayload,
  type Role,
} from '../contract/station-api.js';
import { WireReply } from '../contract/wire.js';
import { InternalError, StationError, TransportError, type ErrorCode } from '../errors/station-error.js';
import { describeIssues } from './dispatcher.js';

/**
 * The narrow surface a host exposes to a renderer: the Electron preload bridge and the WebSocket
 * connection both implement exactly this, and nothing else.
 */
export interface StationTransport {
  call(method: string, payload: unknown): Promise<unknown>;
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
}

/** A StationError rebuilt on the renderer side from a WireError. */
export class RemoteStationError extends StationError {
  constructor(code: ErrorCode, userMessage: string, detail?: string) {
    super(code, userMessage, detail);
  }
}

export interface StationClient<R extends Role> {
  readonly role: R;
  call<M extends CallName<R>>(method: M, payload: CallInput<R, M>): Promise<CallResult<R, M>>;
  on<E extends EventName<R>>(event: E, listener: (payload: EventPayload<R, E>) => void): () => void;
}

/**
 * Typed client over any transport. Replies and events are validated against the same contract the host
 * uses, so a buggy or compromised host process cannot feed the UI malformed data silently.
 */
export function createStationClient<R extends Role>(role: R, transport: StationTransport): StationClient<R> {
  return {
    role,
    async call(method, payload) {
      let raw: unknown;
      try {
        raw = await transport.call(method, payload);
      } catch (thrown) {
        if (thrown instanceof StationError) throw thrown;
        throw new TransportError(`${method}: ${thrown instanceof Error ? thrown.message : 'failed'}`);
      }
      const reply = WireReply.safeParse(raw);
      if (!reply.success) throw new InternalError(`${method}: malformed reply: ${describeIssues(reply.error)}`);
      if (!reply.data.ok) {
        const { code, message, detail, retryable, reason } = reply.data.error;
        const error = new RemoteStationError(code, message, detail);
        error.retryable = retryable;
        error.reason = reason;
        throw error;
      }
      const value = callSpec(role, method).output.safeParse(reply.data.value);
      if (!value.success) throw new InternalError(`${method}: reply failed the contract: ${describeIssues(value.error)}`);
      return value.data as CallResult<R, typeof method>;
    },
    on(event, listener) {
      const schema = eventSchema(role, event);
      return transport.onEvent((name, payload) => {
        if (name !== event || !isEventName(role, name)) return;
        const parsed = schema.safeParse(payload);
        if (parsed.success) listener(parsed.data as EventPayload<R, typeof event>);
      });
    },
  };
}
