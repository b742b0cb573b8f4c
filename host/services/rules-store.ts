import path from 'node:path';
import { z } from 'zod';
import { SignedRulesEnvelope } from '../../core/rules/signing.js';
import { readTextIfExists, safeJson, writeJsonAtomic } from './staff-accounts-store.js';

export const RULES_FILE = 'rules-bundle.json';

const RulesFile = z.strictObject({
  version: z.literal(1),
  downloadedAt: z.iso.datetime({ offset: true }),
  /** As the server signed it: verified again against the enrollment's key each time it is loaded. */
  envelope: SignedRulesEnvelope,
});
export type StoredRules = z.infer<typeof RulesFile>;

/**
 * The province rules bundle last downloaded and verified, kept in the station's data folder so the desk works
 * offline with it. Only the signed envelope is kept: whoever reads the file verifies it (a file edited at rest
 * fails the signature, and the station falls back to the built-in default).
 */
export class RulesStore {
  readonly #file: string;

  constructor(dataDir: string) {
    this.#file = path.join(dataDir, RULES_FILE);
  }

  /** undefined: nothing downloaded yet; 'invalid': a file that is not a stored envelope. */
  async load(): Promise<StoredRules | 'invalid' | undefined> {
    const text = await readTextIfExists(this.#file).catch(() => 'invalid' as const);
    if (text === undefined) return undefined;
    if (text === 'invalid') return 'invalid';
    const parsed = RulesFile.safeParse(safeJson(text));
    return parsed.success ? parsed.data : 'invalid';
  }

  async save(stored: StoredRules): Promise<void> {
    await writeJsonAtomic(this.#file, RulesFile.parse(stored));
  }
}
