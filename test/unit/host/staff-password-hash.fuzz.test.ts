import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../core/crypto/password-hash.js';
import { seededRandom } from '../../../native/simulators/seeded-random.js';

/**
 * Stored hashes arrive from the central server and the station config: verifyPassword parses them. Mutated and
 * random hashes must never throw, never match, and never make it compute beyond its memory and cost bounds.
 */
describe('verifyPassword on untrusted hashes', () => {
  it('answers false for 300 mutated or random hashes and true only for the intact one', async () => {
    const random = seededRandom(0x5eed);
    const int = (n: number) => Math.floor(random() * n);
    const good = await hashPassword('correct horse', { cost: 16 });
    expect(await verifyPassword('correct horse', good)).toBe(true);
    const alphabet = 'scrypt$0123456789+/=ABCxyz-_\u0000😀';
    const huge = ['scrypt$1048576$8$1$', 'scrypt$16$4096$1$', 'scrypt$16$8$99$', 'scrypt$15$8$1$', 'scrypt$0$8$1$', 'scrypt$16$0$1$'];
    const matched: string[] = [];
    for (let i = 0; i < 300; i++) {
      let candidate: string;
      const kind = int(3);
      if (kind === 0) {
        // One character of the good hash changed, removed or doubled.
        const at = int(good.length);
        const op = int(3);
        const char = alphabet[int(alphabet.length)]!;
        candidate = op === 0 ? good.slice(0, at) + char + good.slice(at + 1) : op === 1 ? good.slice(0, at) + good.slice(at + 1) : good.slice(0, at) + good[at] + good.slice(at);
      } else if (kind === 1) {
        // Out-of-bounds parameters with the good salt and key.
        candidate = huge[int(huge.length)]! + good.split('$').slice(4).join('$');
      } else {
        candidate = Array.from({ length: int(80) }, () => alphabet[int(alphabet.length)]).join('');
      }
      if (candidate === good) continue;
      if (await verifyPassword('correct horse', candidate)) matched.push(candidate);
    }
    expect(matched).toEqual([]);
  }, 60_000);
});
