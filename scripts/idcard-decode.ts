/**
 * Decodes a hex dump from an ID card reader: SAM frames (with stray bytes around them, as captured) or a bare
 * 256-byte text block. For developers checking captures and simulator output; the same decoders as the app.
 *
 * Usage: npm run -s idcard:decode -- <file.hex>      (hex digits, whitespace allowed)
 *
 * stdout (pretty JSON), exit 0:
 *   one frame:     { input, frame: { kind, command, cmd, bytes, len, sw1, sw2, sw3, checksum }, card?, photo?,
 *                    fingerprint?, samId?, newestAddress?, data? }
 *   several:       { input, frames: [ { frame, card?, ... }, … ] }
 *   text block:    { input, card }
 * Photo and fingerprint appear as { bytes, base64 } next to the card, not inside it.
 * On a decoding error: { "error": { code, reason, message, detail, sw3? } }, exit 1. Usage errors: exit 2.
 *
 * The output holds whatever the dump holds, personal data included: do not paste it into tickets or logs.
 */
import { idcardDecoder } from './lib/idcard-decoder.js';
import { runHexDecoder } from './lib/hex-decode-cli.js';

process.exitCode = await runHexDecoder(process.argv.slice(2), idcardDecoder);
