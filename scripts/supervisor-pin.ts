/**
 * Makes the `pinHash` for a supervisor in the station config: `npx tsx scripts/supervisor-pin.ts`
 * asks for the PIN without echoing it (or reads it from stdin when piped) and prints only the hash.
 */
import { createInterface } from 'node:readline';
import { hashPassword } from '../core/crypto/password-hash.js';

const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
if (process.stdin.isTTY) process.stderr.write('主管授权密码（4–12 位数字）：');
rl.once('line', (line) => {
  rl.close();
  const pin = line.trim();
  if (!/^\d{4,12}$/.test(pin)) {
    process.stderr.write('\n授权密码须为 4–12 位数字。\n');
    process.exit(1);
  }
  void hashPassword(pin).then((hash) => process.stdout.write(`${hash}\n`));
});
