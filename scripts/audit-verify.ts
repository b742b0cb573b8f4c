/**
 * Checks an audit chain from its first entry and prints the first broken link (issue 12).
 *
 *   npm run -s audit:verify -- --file <audit.jsonl|audit.json>   a station's entries (export, handoff, dump)
 *   npm run -s audit:verify -- --station <station-id>            what the central server holds for a station
 *                                                                (DATABASE_URL or PGLITE_DIR)
 *
 * stdout: "OK: N entries" (exit 0), or "BROKEN at seq S: reason (expected …, found …)" (exit 1); for a
 * station also the breaks the server flagged on arrival (exit 1). Bad arguments or input: exit 2.
 * Entries name staff accounts and record ids, never candidates' personal data.
 */
import { runAuditVerify } from './lib/audit-verify-cli.js';

process.exitCode = await runAuditVerify(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  env: { DATABASE_URL: process.env['DATABASE_URL'], PGLITE_DIR: process.env['PGLITE_DIR'] },
});
