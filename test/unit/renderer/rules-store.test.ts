import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import type { RulesCurrent } from '../../../core/contract/station-api.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { RulesBundle } from '../../../core/rules/bundle.js';
import { BUILTIN_RULES } from '../../../core/rules/builtin.js';
import type { AuditAppend } from '../../../renderer/audit/audit-log.js';
import { createRulesStore, rulesStamp } from '../../../renderer/rules/rules-store.js';

const nm = RulesBundle.parse(JSON.parse(readFileSync('server/sample-data/rules/nm-zsb-2027.json', 'utf8')));
const central = (bundle: RulesBundle, extra: Partial<RulesCurrent> = {}): RulesCurrent => ({ source: 'central', bundle, downloadedAt: '2027-03-01T08:00:00.000Z', ...extra });

function setup(first: RulesCurrent) {
  const audited: AuditAppend[] = [];
  const call = vi.fn(async () => first);
  const store = createRulesStore({ api: { call } as never, audit: async (fields) => audited.push(fields) });
  return { store, audited, call };
}

describe('rules store', () => {
  it('starts with what the host holds, built-in before any sync', async () => {
    const { store, audited } = setup({ source: 'builtin', bundle: BUILTIN_RULES });
    expect(rulesStamp(store.getState())).toEqual({ rulesVersion: 'builtin-1', pledgeVersion: zhCN.kiosk.pledgeVersion });
    await store.getState().load();
    expect(store.getState().active.source).toBe('builtin');
    expect(audited).toEqual([]);
  });

  it('holds a newer bundle until the desk is idle, then adopts and audits it', async () => {
    const { store, audited } = setup({ source: 'builtin', bundle: BUILTIN_RULES });
    await store.getState().load();
    await store.getState().receive(central(nm));
    // A candidate in progress keeps the rules it started with.
    expect(rulesStamp(store.getState()).rulesVersion).toBe('builtin-1');
    expect(store.getState().pending?.bundle.version).toBe('NM-ZSB-2027.1');
    expect(store.getState().notice).toBe(zhCN.rules.pending('NM-ZSB-2027.1'));

    expect(await store.getState().adoptPending()).toBe(true);
    expect(rulesStamp(store.getState())).toEqual({ rulesVersion: 'NM-ZSB-2027.1', pledgeVersion: 'NM-2027-1' });
    expect(store.getState().pending).toBeUndefined();
    expect(store.getState().notice).toBeUndefined();
    expect(audited).toEqual([{ kind: 'config', detail: 'rules-adopted:NM-ZSB-2027.1' }]);
    expect(await store.getState().adoptPending()).toBe(false);
  });

  it('keeps the active bundle on a refused download, audits the refusal once and shows why', async () => {
    const { store, audited } = setup(central(nm));
    await store.getState().load();
    const refused = central(nm, { refused: { at: '2027-03-02T08:00:00.000Z', reason: 'bad-signature', message: zhCN.rules.refused['bad-signature'] } });
    await store.getState().receive(refused);
    await store.getState().receive(refused);
    expect(store.getState().active.bundle.version).toBe('NM-ZSB-2027.1');
    expect(store.getState().pending).toBeUndefined();
    expect(store.getState().notice).toBe(zhCN.rules.refused['bad-signature']);
    expect(audited).toEqual([
      { kind: 'config', detail: 'rules-active:NM-ZSB-2027.1' },
      { kind: 'config', detail: 'rules-refused:bad-signature' },
    ]);
  });

  it('still adopts when the audit log fails, and says so', async () => {
    const call = vi.fn(async (): Promise<RulesCurrent> => ({ source: 'builtin', bundle: BUILTIN_RULES }));
    const store = createRulesStore({ api: { call } as never, audit: async () => Promise.reject(new Error('disk full')) });
    await store.getState().load();
    await store.getState().receive(central(nm));
    expect(await store.getState().adoptPending()).toBe(true);
    expect(store.getState().active.bundle.version).toBe('NM-ZSB-2027.1');
    expect(store.getState().auditError).toBe(zhCN.errors.internal);
  });
});
