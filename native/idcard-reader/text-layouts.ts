import type { IdCardType } from '../../core/contract/id-card.js';

/**
 * Where each field sits in the 256-byte text block of each document type (spec §6.1–6.4), in bytes of
 * UCS-2LE. The decoder and the simulator's encoder both read this table, so they cannot drift apart.
 */

export type TextField =
  | 'name'
  | 'englishName'
  | 'sexCode'
  | 'nationCode'
  | 'birthDate'
  | 'address'
  | 'idNumber'
  | 'issuingAuthority'
  | 'validFrom'
  | 'validTo'
  | 'travelPermitNumber'
  | 'issueCount'
  | 'nationality'
  | 'cardVersion'
  | 'authorityCode'
  | 'renewalCount';

/** Fields every document has (possibly blank); the rest appear only where a layout has room for them. */
export const requiredTextFields = ['name', 'sexCode', 'birthDate', 'idNumber', 'validFrom', 'validTo'] as const satisfies readonly TextField[];
export type RequiredTextField = (typeof requiredTextFields)[number];
export type OptionalTextField = Exclude<TextField, RequiredTextField>;

/** A byte range inside the block: [offset, size]; a field may span several (one value, continued). */
export type Range = readonly [offset: number, size: number];

export type KnownCardType = Exclude<IdCardType, 'unknown'>;

export interface TextLayout {
  /** The character at offset 248 that names the layout. */
  marker: string;
  fields: Partial<Record<TextField, readonly Range[]>>;
}

export const TEXT_BLOCK_SIZE = 256;
export const MARKER_OFFSET = 248;

export const textLayouts: Readonly<Record<KnownCardType, TextLayout>> = {
  resident: {
    marker: ' ',
    fields: {
      name: [[0, 30]],
      sexCode: [[30, 2]],
      nationCode: [[32, 4]],
      birthDate: [[36, 16]],
      address: [[52, 70]],
      idNumber: [[122, 36]],
      issuingAuthority: [[158, 30]],
      validFrom: [[188, 16]],
      validTo: [[204, 16]],
    },
  },
  'hmt-residence': {
    marker: 'J',
    fields: {
      name: [[0, 30]],
      sexCode: [[30, 2]],
      birthDate: [[36, 16]],
      address: [[52, 70]],
      idNumber: [[122, 36]],
      issuingAuthority: [[158, 30]],
      validFrom: [[188, 16]],
      validTo: [[204, 16]],
      travelPermitNumber: [[220, 18]],
      issueCount: [[238, 4]],
    },
  },
  'foreign-2017': {
    marker: 'I',
    fields: {
      englishName: [[0, 120]],
      sexCode: [[120, 2]],
      idNumber: [[122, 30]],
      nationality: [[152, 6]],
      // Blank on many of these cards.
      name: [[158, 30]],
      validFrom: [[188, 16]],
      validTo: [[204, 16]],
      birthDate: [[220, 16]],
      cardVersion: [[236, 4]],
      authorityCode: [[240, 8]],
    },
  },
  'foreign-2023': {
    marker: 'Y',
    fields: {
      name: [[0, 30]],
      sexCode: [[30, 2]],
      renewalCount: [[32, 4]],
      birthDate: [[36, 16]],
      // Characters 1–35 and 36–46 of one name; offset 250 (link to the previous card) has no known encoding.
      englishName: [
        [52, 70],
        [220, 22],
      ],
      idNumber: [[122, 36]],
      validFrom: [[188, 16]],
      validTo: [[204, 16]],
      nationality: [[242, 6]],
    },
  },
};

/**
 * For an unknown marker nothing is guessed: only what sits in the same place in all four known layouts
 * (the number at 122, the validity dates at 188/204).
 */
export const unknownLayoutFields: Partial<Record<TextField, readonly Range[]>> = {
  idNumber: [[122, 36]],
  validFrom: [[188, 16]],
  validTo: [[204, 16]],
};

export function layoutForMarker(marker: string): KnownCardType | undefined {
  return (Object.keys(textLayouts) as KnownCardType[]).find((type) => textLayouts[type].marker === marker);
}
