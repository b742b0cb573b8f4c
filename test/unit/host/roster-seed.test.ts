import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isValidCitizenId } from '../../../core/citizen-id/citizen-id.js';
import { RosterEntry, RosterSeed } from '../../../core/contract/roster.js';
import { FileInvalidError, StationError } from '../../../core/errors/station-error.js';
import { readRosterSeed } from '../../../host/services/roster-seed.js';

const SAMPLE = fileURLToPath(new URL('../../../assets/roster/sample-roster.json', import.meta.url));
const HAN = /[\u4e00-\u9fff]/u;

let dir: string;
let sample: { entries: Array<Record<string, unknown>> } & Record<string, unknown>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'roster-seed-test-'));
  sample = JSON.parse(await readFile(SAMPLE, 'utf8')) as typeof sample;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
async function writeTemp(content: string | Buffer): Promise<string> {
  const file = path.join(dir, `seed-${(counter += 1)}.json`);
  await writeFile(file, content);
  return file;
}

/** A deep copy of the sample roster, changed by `edit`. */
async function variant(edit: (seed: typeof sample) => void): Promise<string> {
  const copy = structuredClone(sample);
  edit(copy);
  return writeTemp(JSON.stringify(copy));
}

async function expectFileInvalid(file: string, userMessage: string): Promise<FileInvalidError> {
  let result: unknown;
  try {
    result = await readRosterSeed(file);
  } catch (error) {
    expect(error).toBeInstanceOf(FileInvalidError);
    expect(error).toBeInstanceOf(StationError);
    const e = error as FileInvalidError;
    expect(e.code).toBe('FILE_INVALID');
    expect(e.userMessage).toBe(userMessage);
    expect(e.userMessage).toMatch(HAN);
    return e;
  }
  throw new Error(`expected FILE_INVALID, got a result with ${(result as RosterSeed).entries.length} entries`);
}

describe('readRosterSeed: the shipped sample roster', () => {
  it('loads 40 synthetic entries that all pass the schema', async () => {
    const seed = await readRosterSeed(SAMPLE);
    expect(seed.synthetic).toBe(true);
    expect(seed.pointCode).toBe('ZZ-JS-01');
    expect(seed.pointName).toBe('郑州市金水区现场确认点');
    expect(seed.entries).toHaveLength(40);
    expect(RosterSeed.safeParse(seed).success).toBe(true);
    for (const entry of seed.entries) {
      expect(RosterEntry.safeParse(entry).success, entry.registrationNo).toBe(true);
      expect(isValidCitizenId(entry.citizenId), entry.registrationNo).toBe(true);
    }
  });

  it('has unique citizen ids and registration numbers', async () => {
    const seed = await readRosterSeed(SAMPLE);
    expect(new Set(seed.entries.map((e) => e.citizenId)).size).toBe(40);
    expect(new Set(seed.entries.map((e) => e.registrationNo)).size).toBe(40);
  });

  it('returns the first entry as stored', async () => {
    const seed = await readRosterSeed(SAMPLE);
    expect(seed.entries[0]).toMatchObject({
      registrationNo: '202641000001',
      citizenId: '410105200203140223',
      name: '林晓雨',
      sex: 'female',
      candidateType: 'fresh-graduate',
      status: 'pending',
    });
  });

  it('loads an unchanged copy written to a temp file (the variants below differ only in their edit)', async () => {
    const seed = await readRosterSeed(await variant(() => undefined));
    expect(seed.entries).toHaveLength(40);
  });
});

describe('readRosterSeed: refused files', () => {
  it('a missing file', async () => {
    const error = await expectFileInvalid(path.join(dir, 'does-not-exist.json'), '找不到报名名单文件，请检查安装是否完整。');
    expect(error.detail).toBe('roster seed unreadable');
  });

  it('a directory', async () => {
    await expectFileInvalid(dir, '找不到报名名单文件，请检查安装是否完整。');
  });

  it.each([
    ['not JSON', '这不是 JSON'],
    ['truncated JSON', JSON.stringify({ pointCode: 'ZZ-JS-01' }).slice(0, 10)],
    ['empty file', ''],
  ])('%s', async (_label, content) => {
    const error = await expectFileInvalid(await writeTemp(content), '报名名单文件已损坏（不是有效的 JSON）。');
    expect(error.detail).toBe('roster seed is not JSON');
  });

  const invalidRecords = '报名名单文件中有不合格的记录，未载入。';

  it('an entry with a bad check digit (and the number is not echoed in the detail)', async () => {
    const good = sample.entries[5]!['citizenId'] as string;
    const last = good.charAt(17);
    const bad = good.slice(0, 17) + (last === '0' ? '1' : '0');
    expect(isValidCitizenId(bad)).toBe(false);
    const error = await expectFileInvalid(
      await variant((s) => {
        s.entries[5]!['citizenId'] = bad;
      }),
      invalidRecords,
    );
    expect(error.detail).toContain('entries.5.citizenId');
    expect(error.detail).not.toContain(bad);
  });

  it('duplicate citizen ids', async () => {
    const error = await expectFileInvalid(
      await variant((s) => {
        s.entries[39]!['citizenId'] = s.entries[0]!['citizenId'];
      }),
      '报名名单中有重复的身份证号，未载入。',
    );
    expect(error.detail).toBe('roster seed has duplicate citizen ids');
  });

  it('an entry with an extra unknown field', async () => {
    const error = await expectFileInvalid(
      await variant((s) => {
        s.entries[2]!['password'] = 'x';
      }),
      invalidRecords,
    );
    expect(error.detail).toContain('entries.2');
  });

  it('an extra unknown top-level field', async () => {
    await expectFileInvalid(
      await variant((s) => {
        s['admin'] = true;
      }),
      invalidRecords,
    );
  });

  it.each([
    ['a javascript: photo URL', 'javascript:alert(document.cookie)'],
    ['an html data URL photo', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ['a remote photo URL', 'https://example.com/photo.jpg'],
    ['a data URL with a script payload after the base64', 'data:image/png;base64,AAAA"><script>'],
  ])('an entry with %s', async (_label, photo) => {
    const error = await expectFileInvalid(
      await variant((s) => {
        s.entries[0]!['photo'] = photo;
      }),
      invalidRecords,
    );
    expect(error.detail).toContain('entries.0.photo');
    expect(error.detail).not.toContain(photo);
  });

  it.each<[string, (s: typeof sample) => void]>([
    ['a lower-case x check character', (s) => (s.entries[0]!['citizenId'] = '11010519491231002x')],
    ['a 15-digit citizen id', (s) => (s.entries[0]!['citizenId'] = '410105020314022')],
    ['an unknown candidate type', (s) => (s.entries[0]!['candidateType'] = 'vip')],
    ['an unknown status', (s) => (s.entries[0]!['status'] = 'approved')],
    ['a blank name', (s) => (s.entries[0]!['name'] = '   ')],
    ['a malformed phone', (s) => (s.entries[0]!['phone'] = '+86 138 0000 1000')],
    ['a missing registration number', (s) => delete s.entries[0]!['registrationNo']],
    ['entries not an array', (s) => ((s as Record<string, unknown>)['entries'] = {})],
    ['synthetic missing', (s) => delete s['synthetic']],
    ['a generatedAt without offset', (s) => (s['generatedAt'] = '2026-11-20 08:00')],
  ])('%s', async (_label, edit) => {
    await expectFileInvalid(await variant(edit), invalidRecords);
  });

  it('a JSON array instead of an object', async () => {
    await expectFileInvalid(await writeTemp(JSON.stringify(sample.entries)), invalidRecords);
  });
});
