import { readFile } from 'node:fs/promises';
import { describeIssues } from '../../core/api/describe-issues.js';
import { RosterSeed } from '../../core/contract/roster.js';
import { FileInvalidError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

const MAX_SEED_BYTES = 64 * 1024 * 1024;

/**
 * Reads the roster file prepared for this confirmation point (until the central server's delta download
 * replaces it) and validates every entry; a file with any bad entry is refused whole.
 */
export async function readRosterSeed(file: string): Promise<RosterSeed> {
  let text: string;
  try {
    const bytes = await readFile(file);
    if (bytes.byteLength > MAX_SEED_BYTES) throw new FileInvalidError('roster seed too large', zhCN.roster.fileTooLarge);
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof FileInvalidError) throw error;
    throw new FileInvalidError('roster seed unreadable', zhCN.roster.fileMissing);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new FileInvalidError('roster seed is not JSON', zhCN.roster.fileNotJson);
  }
  const parsed = RosterSeed.safeParse(json);
  if (!parsed.success) {
    throw new FileInvalidError(`roster seed invalid: ${describeIssues(parsed.error)}`, zhCN.roster.fileInvalid);
  }
  const seen = new Set<string>();
  for (const entry of parsed.data.entries) {
    if (seen.has(entry.citizenId)) throw new FileInvalidError('roster seed has duplicate citizen ids', zhCN.roster.fileDuplicate);
    seen.add(entry.citizenId);
  }
  return parsed.data;
}
