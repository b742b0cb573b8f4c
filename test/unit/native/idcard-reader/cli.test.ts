/**
 * The idcard:decode CLI on temp copies of the vector files and on generated dumps. Decoding is checked in-process
 * through the same shell the script runs (reading the file, printing, exit codes); one test runs the real script as a
 * child process so that the entry point itself is covered.
 * PRIVACY: the CLI's stdout holds vector contents; it is parsed and compared here, never printed.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zhCN } from '../../../../core/i18n/zh-CN.js';
import { encodeNamedCommand, encodeResponse, toHex } from '../../../../native/idcard-reader/sam-protocol.js';
import { seededRandom as mulberry32 } from '../../../../native/simulators/seeded-random.js';
import { runHexDecoder } from '../../../../scripts/lib/hex-decode-cli.js';
import { idcardDecoder } from '../../../../scripts/lib/idcard-decoder.js';
import {
  fakeFingerprint,
  fakePhoto,
  readReplyWithFingerprint,
  residentBlock,
  syntheticResident,
} from './text-block-builder.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const vectorsDir =
  process.env.IDCARD_VECTORS_DIR ?? fileURLToPath(new URL('../../../../../shared/specs/vectors/', import.meta.url));
const tsx = join(repo, 'node_modules/.bin/tsx');

interface Vector {
  id: string;
  expect?: { text?: Record<string, string> } & Record<string, unknown>;
}
let vectors: Vector[] = [];
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'idcard-decode-'));
  vectors = (JSON.parse(readFileSync(join(vectorsDir, 'idcard-sam-vectors.json'), 'utf8')) as { vectors: Vector[] }).vectors;
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface CliResult {
  status: number | null;
  json: Record<string, unknown> | undefined;
  stderr: string;
}

function parsed(stdout: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The CLI in-process: the shell the script runs, with its output captured. */
async function cli(...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const status = await runHexDecoder(args, idcardDecoder, { out: (text) => (stdout += `${text}\n`), err: (text) => (stderr += `${text}\n`) });
  return { status, json: parsed(stdout), stderr };
}

/** The real script as a child process; never rejects (a non-zero exit is a result to check). */
function processRun(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(tsx, ['scripts/idcard-decode.ts', ...args], { cwd: repo, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ status, json: parsed(stdout), stderr });
    });
  });
}

function tempFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function copyVector(name: string): string {
  const path = join(dir, name);
  copyFileSync(join(vectorsDir, name), path);
  return path;
}

/** Compares the expected text fields with the CLI's card without printing either. */
function expectCardFields(card: unknown, text: Record<string, string>): void {
  const got = card as Record<string, unknown>;
  for (const [key, value] of Object.entries(text)) {
    if (key === 'cardTypeMarkerAt248') continue;
    expect(got[key] === value, `card.${key} matches the vector`).toBe(true);
  }
}

const expectOf = (id: string) => vectors.find((v) => v.id === id)?.expect;

describe('idcard-decode CLI', () => {
  it('decodes the captured read reply with its stray byte', async () => {
    const { status, json } = await cli(copyVector('frame-read-text-photo-A.hex'));
    expect(status).toBe(0);
    expect(json).toBeDefined();
    const out = json as {
      input: { bytes: number; frames: number; strayBytes: number };
      frame: Record<string, unknown>;
      card: Record<string, unknown>;
      photo: { bytes: number; base64: string };
      fingerprint: { bytes: number };
    };
    expect(out.input).toMatchObject({ bytes: 1296, frames: 1, strayBytes: 1 });
    expect(out.frame).toMatchObject({ kind: 'response', command: 'readTextPhoto', cmd: '30 01', sw3: '90', bytes: 1295, len: 1288 });
    expect(out.frame.checksum === expectOf('frame-read-text-photo-A')?.checksumStored, 'checksum').toBe(true);
    expect(out.card).toMatchObject({ source: 'chip', cardType: 'resident' });
    expectCardFields(out.card, expectOf('frame-read-text-photo-A')!.text!);
    expect(out.card).not.toHaveProperty('photoWlt');
    expect(out.photo.bytes).toBe(1024);
    expect(Buffer.from(out.photo.base64, 'base64').length).toBe(1024);
    expect(out.fingerprint).toEqual({ bytes: 0 });
  });

  it('accepts whitespace and line breaks in the hex', async () => {
    const hex = toHex(encodeResponse(0x9f, new Uint8Array(4)));
    const spaced = hex.replace(/(..)/g, '$1 ').replace(/(.{30})/g, '$1\n');
    const { status, json } = await cli(tempFile('spaced.hex', `  ${spaced.toLowerCase()}\n`));
    expect(status).toBe(0);
    expect(json).toMatchObject({ frame: { command: 'findCard', sw3: '9F' }, data: '00000000' });
  });

  it('decodes a bare 256-byte text block', async () => {
    const { status, json } = await cli(copyVector('text-block-B.hex'));
    expect(status).toBe(0);
    const out = json as { input: Record<string, unknown>; card: Record<string, unknown> };
    expect(out.input).toEqual({ kind: 'text-block', bytes: 256 });
    expect(out.card).toMatchObject({ source: 'chip', cardType: 'resident' });
    expectCardFields(out.card, expectOf('text-block-B')!.text!);
  });

  it('decodes a 30 10 reply with photo and fingerprint byte counts', async () => {
    const frame = readReplyWithFingerprint(residentBlock(), fakePhoto(), fakeFingerprint(512));
    const { status, json } = await cli(tempFile('fp.hex', toHex(frame)));
    expect(status).toBe(0);
    expect(json).toMatchObject({
      frame: { command: 'readTextPhotoFingerprint', cmd: '30 10', bytes: 1809 },
      card: { name: syntheticResident.name, idNumber: syntheticResident.idNumber, nation: '汉' },
      photo: { bytes: 1024, wltSignature: true },
      fingerprint: { bytes: 512 },
    });
  });

  it('names command frames and lists several frames in order', async () => {
    const hex = toHex(encodeNamedCommand('findCard')) + toHex(encodeNamedCommand('readSamId'));
    const { status, json } = await cli(tempFile('cmds.hex', hex));
    expect(status).toBe(0);
    expect(json).toMatchObject({
      input: { frames: 2, strayBytes: 0 },
      frames: [
        { frame: { kind: 'command', command: 'findCard', cmd: '20 01' } },
        { frame: { kind: 'command', command: 'readSamId', cmd: '12 FF' } },
      ],
    });
  });

  it('decodes a SAM id reply', async () => {
    const data = Uint8Array.from([0x05, 0, 0x01, 0, 0x51, 0xb8, 0x32, 0x01, 0x4e, 0x61, 0xbc, 0, 0x15, 0xcd, 0x5b, 0x07]);
    const { status, json } = await cli(tempFile('sam.hex', toHex(encodeResponse(0x90, data))));
    expect(status).toBe(0);
    expect(json).toMatchObject({
      frame: { command: 'readSamId' },
      samId: { raw: toHex(data), display: '05.01-20101201-0012345678-0123456789' },
    });
  });

  it('reports a status reply as an error with its Chinese message, exit 1', async () => {
    const { status, json } = await cli(tempFile('fail.hex', 'AAAAAA9669000400004145'));
    expect(status).toBe(1);
    expect(json).toEqual({
      error: { code: 'DEVICE', reason: 'status', message: zhCN.cardReader.status[0x41], detail: 'status: SW3 41', sw3: '41' },
    });
  });

  it('reports a wrong checksum, exit 1', async () => {
    const { status, json } = await cli(tempFile('badsum.hex', 'AAAAAA9669000400004146'));
    expect(status).toBe(1);
    expect(json).toMatchObject({ error: { code: 'DEVICE', reason: 'bad-checksum', message: zhCN.cardReader.transfer } });
  });

  it('reports garbage bytes and non-hex files as errors, exit 1', async () => {
    const random = mulberry32(7);
    const garbage = Uint8Array.from({ length: 300 }, () => Math.floor(random() * 256));
    const [bytes, text, truncated] = await Promise.all([
      cli(tempFile('garbage.hex', toHex(garbage))),
      cli(tempFile('garbage.txt', 'this is not hex at all\n')),
      cli(tempFile('cut.hex', toHex(encodeResponse(0x90, new Uint8Array(16))).slice(0, 30))),
    ]);
    expect(bytes.status).toBe(1);
    expect(bytes.json).toMatchObject({ error: { code: 'DEVICE', message: expect.any(String) } });
    expect(Object.keys((bytes.json as { error: object }).error)).toEqual(expect.arrayContaining(['code', 'reason', 'message']));

    expect(text.status).toBe(1);
    expect(text.json).toMatchObject({ error: { code: 'FILE_INVALID', reason: 'not-hex', message: expect.any(String) } });

    expect(truncated.status).toBe(1);
    expect(truncated.json).toMatchObject({ error: { reason: 'truncated' } });
  });

  it('exits 2 on usage errors', async () => {
    const argLists = [[], ['a.hex', 'b.hex'], ['--help'], [join(dir, 'missing.hex')]];
    const results = await Promise.all(argLists.map((args) => cli(...args)));
    results.forEach(({ status, stderr }, i) => {
      expect(status, argLists[i]!.join(' ')).toBe(2);
      expect(stderr).toContain('usage');
    });
  });

  it('runs as a real process: exit 0 with JSON on stdout, exit 2 with usage on stderr', async () => {
    const [decoded, usage] = await Promise.all([processRun(copyVector('text-block-B.hex')), processRun()]);
    expect(decoded.status).toBe(0);
    expect(decoded.json).toMatchObject({ card: expect.any(Object) });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage');
  });
});
