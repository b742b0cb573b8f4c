import { createStore, type StoreApi } from 'zustand/vanilla';
import type { StationClient } from '../../core/api/client.js';
import type { RulesCurrent } from '../../core/contract/station-api.js';
import { toStationError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { RulesBundle } from '../../core/rules/bundle.js';
import { BUILTIN_RULES } from '../../core/rules/builtin.js';
import type { AuditAppend } from '../audit/audit-log.js';

/**
 * 省级配置 in the staff window: the rules the desk applies now (`active`), and a newer bundle the host
 * downloaded that waits (`pending`) until the desk is between candidates: a candidate is handled from first
 * step to last under one set of rules, and their record names that version (`stamp`).
 *
 * The integrator calls `adoptPending()` when the desk becomes idle (办理下一位); nothing else ever swaps the
 * rules under a running confirmation. Adoptions and refused downloads go into the audit log.
 */
export interface RulesState {
  /** What the desk applies; the built-in default until the host answered. */
  active: RulesCurrent;
  /** A newer bundle, held until adoptPending(). */
  pending: RulesCurrent | undefined;
  /** A line for staff: a bundle waits, a download was refused, or the stored one was unusable. */
  notice: string | undefined;
  /** The last audit append that failed (Chinese); the rules still changed. */
  auditError: string | undefined;
  /** Asks the host (at start, after a reconnect). The first answer is adopted at once: no candidate is open yet. */
  load(): Promise<void>;
  /** What the host says now (rules.current, rules.changed event): becomes pending when its bundle differs. */
  receive(current: RulesCurrent): Promise<void>;
  /** The desk is idle: the pending bundle becomes active (no-op when none waits). Returns whether it changed. */
  adoptPending(): Promise<boolean>;
}

/** What a confirmation record is stamped with. */
export function rulesStamp(state: Pick<RulesState, 'active'>): { rulesVersion: string; pledgeVersion: string } {
  return { rulesVersion: state.active.bundle.version, pledgeVersion: state.active.bundle.pledge.version };
}

const builtin: RulesCurrent = { source: 'builtin', bundle: BUILTIN_RULES };

function sameBundle(a: RulesBundle, b: RulesBundle): boolean {
  return a.version === b.version && a.issuedAt === b.issuedAt;
}

function noticeOf(current: RulesCurrent, pending: RulesCurrent | undefined): string | undefined {
  if (pending) return zhCN.rules.pending(pending.bundle.version);
  return current.refused?.message ?? current.storeProblem;
}

export function createRulesStore(deps: {
  api: Pick<StationClient<'staff'>, 'call'>;
  /** Appends to the station's audit log (AuditLog.append); absent: nothing audited (tests, kiosk-less tools). */
  audit?: (fields: AuditAppend) => Promise<unknown>;
}): StoreApi<RulesState> {
  /** Refusals already audited, by when the host saw them (the same refusal arrives with every answer). */
  const auditedRefusals = new Set<string>();
  let loaded = false;

  return createStore<RulesState>()((set, get) => {
    const audit = async (detail: string) => {
      try {
        await deps.audit?.({ kind: 'config', detail });
      } catch (error) {
        // The rules change regardless (refusing a newer bundle for want of a log line would be worse); staff see it.
        set({ auditError: toStationError(error).userMessage });
      }
    };

    return {
      active: builtin,
      pending: undefined,
      notice: undefined,
      auditError: undefined,

      async load() {
        await get().receive(await deps.api.call('rules.current', {}));
      },

      async receive(current) {
        const refused = current.refused;
        if (refused && !auditedRefusals.has(refused.at)) {
          auditedRefusals.add(refused.at);
          await audit(`rules-refused:${refused.reason}`);
        }
        if (!loaded) {
          loaded = true;
          set({ active: current, pending: undefined, notice: noticeOf(current, undefined) });
          if (current.source === 'central') await audit(`rules-active:${current.bundle.version}`);
          return;
        }
        const { active } = get();
        if (sameBundle(active.bundle, current.bundle)) {
          // Same rules; only the refusal note or download time changed.
          set({ active: current, pending: undefined, notice: noticeOf(current, undefined) });
          return;
        }
        set({ pending: current, notice: noticeOf(current, current) });
      },

      async adoptPending() {
        const { pending } = get();
        if (!pending) return false;
        set({ active: pending, pending: undefined, notice: noticeOf(pending, undefined) });
        await audit(`rules-adopted:${pending.bundle.version}`);
        return true;
      },
    };
  });
}
