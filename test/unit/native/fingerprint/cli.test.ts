/**
 * The fingerprint:decode CLI on the vectors and on broken input: in-process through the shell the script runs, and once
 * as a real child process.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeAck, encodeCommand, encodeDataPackets, toHex } from '../../../../native/fingerprint/r30x-protocol.js';
import { fingerprintDecoder } from '../../../../scripts/lib/fingerprint-decoder.js';
import { runHexDecoder } from '../../../../scripts/lib/hex-decode-cli.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const vectorsFile =
  process.env.FINGERPRINT_VECTORS ??
  fileURLToPath(new URL('../../../../../shared/specs/vectors/fingerprint-r30x-vectors.json', import.meta.url));
const tsx = join(repo, 'node_modules/.bin/tsx');
const dir = mkdtempSync(join(tmpdir(), 'fingerprint-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface CliResult {
  status: number | null;
  json: Record<string, unknown> | undefined;
}

function parsed(stdout: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function tempHex(text: string): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.hex`);
  writeFileSync(file, text);
  return file;
}

async function cli(text: string): Promise<CliResult> {
  let stdout = '';
  const status = await runHexDecoder([tempHex(text)], fingerprintDecoder, { out: (t) => (stdout += `${t}\n`), err: () => undefined });
  return { status, json: parsed(stdout) };
}

function processRun(text: string): Promise<CliResult> {
  const file = tempHex(text);
  return new Promise((resolve) => {
    execFile(tsx, ['scripts/fingerprint-decode.ts', file], { cwd: repo, encoding: 'utf8', timeout: 30_000 }, (error, stdout) => {
      resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : null, json: parsed(stdout) });
    });
  });
}

describe('fingerprint-decode CLI', () => {
  it('decodes both vectors in one dump, with whitespace and stray bytes', async () => {
    const vectors = (JSON.parse(readFileSync(vectorsFile, 'utf8')) as { vectors: { hex: string }[] }).vectors;
    const text = `00 ${vectors.map((v) => v.hex.replace(/(..)/g, '$1 ')).join('\n')}\n`;
    const { status, json } = await cli(text);
    expect(status).toBe(0);
    const packets = json?.packets as Record<string, unknown>[];
    expect(packets[0]).toMatchObject({ kind: 'command', instruction: { code: '01', name: 'genImg' } });
    expect(packets[1]).toMatchObject({ kind: 'ack', confirmation: '00', sysParams: { librarySize: 200, packetSizeCode: 2, baudFactor: 6 } });
    expect(json?.input).toMatchObject({ packets: 2, strayBytes: 1 });
  });

  it('lists parser errors next to the packets it could decode', async () => {
    const bad = toHex(encodeAck(0x02)).slice(0, -2) + '00';
    const { status, json } = await cli(`${bad}\n${toHex(encodeCommand(0x0a))}\n${encodeDataPackets(new Uint8Array(40), 32).map(toHex).join('')}`);
    expect(status).toBe(0);
    expect((json?.packets as unknown[]).length).toBe(3);
    expect(json?.input).toMatchObject({ parserErrors: [{ reason: 'bad-checksum' }] });
  });

  it('prints the typed error for input without a packet, and for non-hex', async () => {
    const none = await cli('EF01FFFF');
    expect(none.status).toBe(1);
    expect(none.json).toMatchObject({ error: { code: 'DEVICE', reason: 'truncated' } });
    const notHex = await cli('hello');
    expect(notHex.status).toBe(1);
    expect(notHex.json).toMatchObject({ error: { code: 'FILE_INVALID' } });
  });

  it('runs as a real process: the vectors decode with exit 0', async () => {
    const vectors = (JSON.parse(readFileSync(vectorsFile, 'utf8')) as { vectors: { hex: string }[] }).vectors;
    const { status, json } = await processRun(vectors.map((v) => v.hex).join('\n'));
    expect(status).toBe(0);
    expect(json?.packets).toHaveLength(vectors.length);
  });
});
