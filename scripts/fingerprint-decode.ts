/**
 * Decodes a hex dump of an R30x/AS60x UART conversation (either direction, stray bytes allowed) into its
 * packets, with the instruction or confirmation code named. For field support and for checking simulator
 * output; the same parser as the driver.
 *
 * Usage: npx tsx scripts/fingerprint-decode.ts <file.hex>      (hex digits, whitespace and newlines allowed)
 *
 * stdout (pretty JSON), exit 0: { input: { bytes, packets, strayBytes, parserErrors? }, packets: [ … ] }
 *   each packet: { kind: command|ack|data|end-data, address, pid, length, checksum, payloadBytes,
 *                  instruction?, confirmation?, sysParams?, data? (hex, first 64 bytes) }
 * On an error (no packet at all, not hex): { "error": { code, reason, message, detail } }, exit 1.
 * Usage errors: exit 2.
 */
import { fingerprintDecoder } from './lib/fingerprint-decoder.js';
import { runHexDecoder } from './lib/hex-decode-cli.js';

process.exitCode = await runHexDecoder(process.argv.slice(2), fingerprintDecoder);
