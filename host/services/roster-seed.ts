import { readFile } from 'node:fs/promises';
import { describeIssues } from '../../core/api/dispatcher.js';
import { RosterSeed } from '../../core/contract/roster.js';
import { FileInvalidError } from '../../core/errors/station-error.js';

const MAX_SEED_BYTES = 64 * 1024 * 1024;

/**
 * Reads the roster file prepared for this confirmation point (until the central server's delta download
 * replaces it) and validates every entry; a file with any bad entry is refused whole.
 */
export async function readRosterSeed(file: string): Promise<RosterSeed> {
  let text: string;
  try {
    const bytes = await readFile(file);
    if (bytes.byteLength > MAX_SEED_BYTES) throw new FileInvalidError('roster seed too large', '报名名单文件过大。');
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof FileInvalidError) throw error;
    throw new FileInvalidError('roster seed unreadable', '找不到报名名单文件，请检查安装是否完整。');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new FileInvalidError('roster seed is not JSON', '报名名单文件已损坏（不是有效的 JSON）。');
  }
  const parsed = RosterSeed.safeParse(json);
  if (!parsed.success) {
    throw new FileInvalidError(`roster seed invalid: ${describeIssues(parsed.error)}`, '报名名单文件中有不合格的记录，未载入。');
  }
  const seen = new Set<string>();
  for (const entry of parsed.data.entries) {
    if (seen.has(entry.citizenId)) throw new FileInvalidError('roster seed has duplicate citizen ids', '报名名单中有重复的身份证号，未载入。');
    seen.add(entry.citizenId);
  }
  return parsed.data;
}
