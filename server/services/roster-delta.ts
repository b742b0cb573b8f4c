import { z } from 'zod';
import { CandidateType, ConfirmationStatus, Sex } from '../../core/contract/roster.js';
import type { RosterDeltaEntry, RosterDeltaReply } from '../../core/contract/central-api.js';
import type { Queryable } from '../db/database.js';
import { queryRows } from '../db/rows.js';

const DeltaRow = z.object({
  citizen_id: z.string(),
  registration_no: z.string(),
  name: z.string(),
  sex: Sex,
  candidate_type: CandidateType,
  major: z.string(),
  exam_city: z.string(),
  point_name: z.string(),
  phone: z.string().nullable(),
  photo_sha256: z.string().nullable(),
  status: ConfirmationStatus,
  row_version: z.string(),
});

/**
 * One page of a point's roster changes after `cursor`, oldest change first. A row changed again after a
 * station fetched it gets a new version and so comes again later: stations upsert by citizen number.
 */
export async function rosterDelta(db: Queryable, pointCode: string, cursor: string, limit: number): Promise<RosterDeltaReply> {
  // One row more than asked tells whether this is the last page without a second query.
  const rows = await queryRows(
    db,
    DeltaRow,
    `SELECT r.citizen_id, r.registration_no, r.name, r.sex, r.candidate_type, r.major, r.exam_city,
            p.name AS point_name, r.phone, r.photo_sha256, r.status, r.row_version
     FROM roster_entries r JOIN points p ON p.code = r.point_code
     WHERE r.point_code = $1 AND r.row_version > $2
     ORDER BY r.row_version
     LIMIT $3`,
    [pointCode, cursor, limit + 1],
  );
  const page = rows.slice(0, limit);
  const remaining =
    rows.length <= limit
      ? page.length
      : (
          await queryRows(
            db,
            z.object({ n: z.coerce.number() }),
            'SELECT count(*) AS n FROM roster_entries WHERE point_code = $1 AND row_version > $2',
            [pointCode, cursor],
          )
        )[0]!.n;
  const entries = page.map(
    (row): RosterDeltaEntry => ({
      registrationNo: row.registration_no,
      citizenId: row.citizen_id,
      name: row.name,
      sex: row.sex,
      candidateType: row.candidate_type,
      major: row.major,
      examCity: row.exam_city,
      confirmationPoint: row.point_name,
      ...(row.phone === null ? {} : { phone: row.phone }),
      ...(row.photo_sha256 === null ? {} : { photoSha256: row.photo_sha256 }),
      status: row.status,
    }),
  );
  return { entries, nextCursor: page.at(-1)?.row_version ?? cursor, done: rows.length <= limit, remaining };
}
