/**
 * Synthetic candidates for benchmarks: fictitious people with valid GB 11643 numbers, generated the same way
 * in Node and in the browser (pure code). Candidate i is unique for i < 5 × 4400 × 10 = 220,000.
 */
import { computeCheckCharacter } from '../../core/citizen-id/citizen-id.js';
import type { RosterEntry } from '../../core/contract/roster.js';

const REGIONS = ['410102', '410103', '410104', '410105', '410122'];
const DAYS = 4400;
const BIRTH_0 = Date.UTC(1995, 0, 1);
const DAY_MS = 24 * 60 * 60 * 1000;

export function syntheticCitizenId(i: number): string {
  const region = REGIONS[i % REGIONS.length]!;
  const day = Math.floor(i / REGIONS.length) % DAYS;
  const seq = Math.floor(i / (REGIONS.length * DAYS));
  const birth = new Date(BIRTH_0 + day * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '');
  const body = `${region}${birth}${String(100 + seq * 7).padStart(3, '0')}`;
  return body + computeCheckCharacter(body);
}

export function syntheticCandidate(i: number, pointName: string): RosterEntry {
  const citizenId = syntheticCitizenId(i);
  return {
    registrationNo: `2026${String(i).padStart(8, '0')}`,
    citizenId,
    name: `考生${String(i).padStart(6, '0')}`,
    sex: Number(citizenId[16]) % 2 === 1 ? 'male' : 'female',
    candidateType: i % 5 === 0 ? 'past-graduate' : 'fresh-graduate',
    major: '计算机科学与技术',
    examCity: '郑州市',
    confirmationPoint: pointName,
    phone: `139${String(i).padStart(8, '0')}`,
    status: 'pending',
  };
}
