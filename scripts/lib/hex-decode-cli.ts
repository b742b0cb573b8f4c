import { readFile } from 'node:fs/promises';
import { FileInvalidError, StationError } from '../../core/errors/station-error.js';
import { fromHex } from '../../native/transport/hex.js';

type Json = Record<string, unknown>;

/** Where the decoder prints: the process's console, or a capture in tests. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const processOutput: CliOutput = { out: (text) => console.log(text), err: (text) => console.error(text) };

/** One decoder: its usage line, the bytes → JSON decoding and how a typed error is printed. */
export interface HexDecoderTool {
  usage: string;
  decode(bytes: Uint8Array): Json;
  errorJson(error: StationError): Json;
}

/**
 * The shared shell of the field-support decoders (`idcard:decode`, `fingerprint:decode`): read one hex file,
 * print the decoded JSON (exit 0) or the typed error as JSON (exit 1); bad usage or an unreadable file exits 2.
 */
export async function runHexDecoder(
  args: readonly string[],
  tool: HexDecoderTool,
  output: CliOutput = processOutput,
): Promise<number> {
  const path = args[0];
  if (args.length !== 1 || path === undefined || path.startsWith('-')) {
    output.err(tool.usage);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (thrown) {
    output.err(`cannot read ${path}: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    output.err(tool.usage);
    return 2;
  }
  try {
    let bytes: Uint8Array;
    try {
      bytes = fromHex(text);
    } catch {
      throw new FileInvalidError('input is not an even-length hex string');
    }
    output.out(JSON.stringify(tool.decode(bytes), null, 2));
    return 0;
  } catch (thrown) {
    if (!(thrown instanceof StationError)) throw thrown;
    output.out(JSON.stringify(tool.errorJson(thrown), null, 2));
    return 1;
  }
}
