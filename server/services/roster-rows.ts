/**
 * Checks roster rows before import: the project's RosterEntry schema (including the GB 11643 check digit of
 * resident and 2023 foreign permanent resident numbers),
 * the point, and duplicates within the file. Reasons are Chinese for the admin and name fields and row
 * numbers only, never a row's values (the report may be mailed around).
 */
import type { z } from 'zod';
import { parseDocumentNumber, type DocumentNumberReason } from '../../core/citizen-id/document-number.js';
import { RosterEntry } from '../../core/contract/roster.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { BadRow } from '../../core/contract/central-api.js';
import type { Point } from './points.js';

const labels: Record<string, string> = zhCN.candidate.fields;

function issueReason(issue: z.core.$ZodIssue, row: unknown): string {
  if (issue.code === 'unrecognized_keys') return zhCN.central.roster.unknownField;
  const field = issue.path[0];
  if (field === undefined) return zhCN.central.roster.notAnObject;
  const key = String(field);
  const label = labels[key] ?? key.slice(0, 40);
  const value = typeof row === 'object' && row !== null ? (row as Record<string, unknown>)[key] : undefined;
  if (value === undefined) return zhCN.central.roster.fieldMissing(label);
  if (key === 'citizenId' && typeof value === 'string') {
    // The precise problem (length, birth date, check digit …) by its reason code: the citizen-id module's own
    // messages quote digits of the number, and this report may be mailed around.
    const parsed = parseDocumentNumber(value);
    if (!parsed.ok) return `${label}：${rowReason(parsed.error.reason)}`;
  }
  return zhCN.central.roster.fieldInvalid(label);
}

/** The resident reasons' text, or a foreign permanent resident (2017) layout's own. */
function rowReason(reason: DocumentNumberReason): string {
  switch (reason) {
    case 'foreign-2017-length':
    case 'foreign-2017-format':
      return zhCN.documentNumber.rowReasons[reason];
    default:
      return zhCN.central.roster.citizenIdReasons[reason];
  }
}

export interface CheckedRosterRows {
  good: Array<{ row: number; entry: RosterEntry }>;
  bad: BadRow[];
}

/** Checks rows given with their numbers as the file shows them (a spreadsheet's header is row 1). */
export function checkRosterRows(rows: ReadonlyArray<{ row: number; fields: unknown }>, point: Point): CheckedRosterRows {
  const good: CheckedRosterRows['good'] = [];
  const bad: BadRow[] = [];
  const citizenRows = new Map<string, number>();
  const registrationRows = new Map<string, number>();
  for (const { row, fields: raw } of rows) {
    const reasons: string[] = [];
    const parsed = RosterEntry.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) reasons.push(issueReason(issue, raw));
    } else {
      const entry = parsed.data;
      if (entry.confirmationPoint !== point.name && entry.confirmationPoint !== point.code) {
        reasons.push(zhCN.central.roster.pointMismatch);
      }
      const firstCitizen = citizenRows.get(entry.citizenId);
      if (firstCitizen === undefined) citizenRows.set(entry.citizenId, row);
      else reasons.push(zhCN.central.roster.duplicateCitizenId(firstCitizen));
      const firstRegistration = registrationRows.get(entry.registrationNo);
      if (firstRegistration === undefined) registrationRows.set(entry.registrationNo, row);
      else reasons.push(zhCN.central.roster.duplicateRegistrationNo(firstRegistration));
      if (reasons.length === 0) good.push({ row, entry });
    }
    if (reasons.length > 0) bad.push({ row, reasons: [...new Set(reasons)] });
  }
  return { good, bad };
}
