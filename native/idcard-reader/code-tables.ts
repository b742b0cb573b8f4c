import type { CardSex } from '../../core/contract/id-card.js';
import { nationsByCode as nations } from '../../core/idcard/nations.js';

/**
 * Code tables the card stores as digits (spec §10). The card face prints the short nation name (汉, not 汉族),
 * so that is what we return.
 */


/** Short nation name for a two-digit code exactly as stored ('01'), or undefined for anything unassigned. */
export function nationName(code: string): string | undefined {
  return nations.get(code);
}

/**
 * GB/T 2261.1 sex code → CardSex. Anything outside the table is 'unknown' rather than 'female': some
 * open-source readers map every non-'1' value to female, which turns a read error into a wrong fact.
 */
export function cardSex(code: string): CardSex {
  switch (code) {
    case '1':
      return 'male';
    case '2':
      return 'female';
    case '9':
      return 'not-stated';
    default:
      return 'unknown';
  }
}
