import type { RulesKeyInfo } from '../../core/contract/central-api.js';
import type { RulesCurrent } from '../../core/contract/station-api.js';
import { toStationError } from '../../core/errors/station-error.js';
import type { Logger } from '../../core/logging/logger.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { BUILTIN_RULES } from '../../core/rules/builtin.js';
import { RulesError } from '../../core/rules/rules-error.js';
import { type OpenedRules, openSignedRules } from '../../core/rules/signing.js';
import type { RulesReply } from '../../core/rules/wire.js';
import type { RulesStore } from '../services/rules-store.js';

/** A stored bundle that fails these is not damage: the station moved to another point or server key. */
const notDamage = new Set(['wrong-point', 'no-server-key', 'unknown-key']);

/**
 * The station's province rules: the bundle last downloaded and verified against the server key from the
 * enrollment, else the built-in default. A download that fails verification is refused (typed RulesError, logged,
 * reported to the window for its audit log) and the previous bundle stays in force.
 */
export class StationRules {
  #active: { opened: OpenedRules; downloadedAt: string } | undefined;
  #refused: RulesCurrent['refused'];
  #storeProblem: string | undefined;
  #loaded: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      store: RulesStore | undefined;
      /** The enrollment's point and the server's rules key (undefined when not enrolled / not known). */
      trust: () => Promise<{ pointCode: string; key: RulesKeyInfo | undefined } | undefined>;
      logger: Logger;
      /** Told whenever what current() answers changed (the host emits rules.changed). */
      changed?: (current: RulesCurrent) => void;
      now?: () => Date;
    },
  ) {}

  async current(): Promise<RulesCurrent> {
    await this.#load();
    const active = this.#active;
    return {
      source: active ? 'central' : 'builtin',
      bundle: active ? active.opened.bundle : BUILTIN_RULES,
      ...(active ? { downloadedAt: active.downloadedAt } : {}),
      ...(this.#refused ? { refused: this.#refused } : {}),
      ...(this.#storeProblem && !active ? { storeProblem: this.#storeProblem } : {}),
    };
  }

  /**
   * A download's reply: verified and stored when it is a new bundle, or refused with a RulesError (the previous
   * bundle stays). A reply without a bundle (none published) changes nothing.
   */
  async apply(reply: RulesReply): Promise<void> {
    await this.#load();
    if (reply.rules === null) return;
    const trust = await this.deps.trust();
    let opened: OpenedRules;
    try {
      opened = openSignedRules(reply.rules, trust?.key, trust?.pointCode ?? '');
    } catch (error) {
      const refusal = error instanceof RulesError ? error : new RulesError('not-rules', toStationError(error).detail ?? 'unexpected');
      this.#refused = { at: this.#now().toISOString(), reason: refusal.reason, message: refusal.userMessage };
      this.deps.logger.warn('rules bundle refused', { reason: refusal.reason, kept: this.#active?.opened.bundle.version ?? BUILTIN_RULES.version });
      this.deps.changed?.(await this.current());
      throw refusal;
    }
    const same = this.#active && this.#active.opened.envelope.signature === opened.envelope.signature;
    const hadRefusal = this.#refused !== undefined;
    this.#refused = undefined;
    if (same) {
      if (hadRefusal) this.deps.changed?.(await this.current());
      return;
    }
    const downloadedAt = this.#now().toISOString();
    // Stored before it is used: after a restart the station holds what it last showed.
    if (this.deps.store) await this.deps.store.save({ version: 1, downloadedAt, envelope: opened.envelope });
    this.#active = { opened, downloadedAt };
    this.#storeProblem = undefined;
    this.deps.logger.info('rules bundle adopted by host', { version: opened.bundle.version, province: opened.bundle.province });
    this.deps.changed?.(await this.current());
  }

  #load(): Promise<void> {
    this.#loaded ??= (async () => {
      const stored = await this.deps.store?.load();
      if (stored === undefined) return;
      if (stored === 'invalid') {
        this.#storeProblem = zhCN.rules.storeInvalid;
        this.deps.logger.warn('rules file unreadable; using the built-in rules');
        return;
      }
      const trust = await this.deps.trust();
      try {
        this.#active = { opened: openSignedRules(stored.envelope, trust?.key, trust?.pointCode ?? ''), downloadedAt: stored.downloadedAt };
      } catch (error) {
        const reason = error instanceof RulesError ? error.reason : 'not-rules';
        if (!notDamage.has(reason)) this.#storeProblem = zhCN.rules.storeInvalid;
        this.deps.logger.warn('stored rules not usable; using the built-in rules', { reason });
      }
    })();
    return this.#loaded;
  }

  #now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }
}
