import { maskCitizenId } from '../../core/citizen-id/citizen-id.js';
import type { ConfirmationContent, RecordOutcome } from '../../core/contract/confirmation.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

/** Everything one printed receipt shows, already as text (the sheet component only lays it out). */
export interface ReceiptView {
  recordId: string;
  pointName: string;
  stationName: string;
  candidateName: string;
  /** Never the full number on paper. */
  citizenIdMasked: string;
  registrationNo: string;
  candidateType: string | undefined;
  outcome: RecordOutcome;
  reasons: string[];
  /** Papers not 已核验 at 资格审核 (empty when all passed, or the step was not reached); for 待补材料, what to bring. */
  missingPapers: string[];
  /** 待补材料: the last day to bring them (YYYY-MM-DD). */
  pendingUntil: string | undefined;
  savedAt: string;
  /** The standard photo as a data URL, when the record has one. */
  photo: string | undefined;
  qr: string | undefined;
  qrImage: string | undefined;
  /** Set on 补打回执: when this copy was printed. */
  reprintedAt: string | undefined;
}

export interface ReceiptSources {
  record: { id: string; savedAt: string; content: ConfirmationContent };
  pointName: string;
  stationName: string;
  photo?: string | undefined;
  qr?: string | undefined;
  qrImage?: string | undefined;
  reprintedAt?: string | undefined;
}

const materialLabels: Record<string, string> = zhCN.materials.items;
const typeLabels: Record<string, string> = zhCN.candidate.types;

/** A stored record (and its kept QR) as a receipt. Pure. */
export function receiptView(sources: ReceiptSources): ReceiptView {
  const { content } = sources.record;
  const items = content.eligibility?.items ?? [];
  const label = (item: { id: string; label?: string | undefined }) => item.label ?? materialLabels[item.id] ?? item.id;
  const decision = content.eligibility?.decision;
  const missing =
    decision?.kind === 'pending'
      ? decision.missing.map((id) => label(items.find((item) => item.id === id) ?? { id }))
      : items.filter((item) => item.result === 'fail').map(label);
  return {
    recordId: sources.record.id,
    pointName: sources.pointName,
    stationName: sources.stationName,
    candidateName: content.candidate.name,
    citizenIdMasked: maskCitizenId(content.candidate.citizenId),
    registrationNo: content.candidate.registrationNo,
    candidateType: content.eligibility ? (content.eligibility.rulesTypeLabel ?? typeLabels[content.eligibility.candidateType]) : undefined,
    outcome: content.outcome,
    reasons: [...content.reasons],
    missingPapers: missing,
    pendingUntil: decision?.kind === 'pending' ? decision.until : undefined,
    savedAt: sources.record.savedAt,
    photo: sources.photo,
    qr: sources.qr,
    qrImage: sources.qrImage,
    reprintedAt: sources.reprintedAt,
  };
}

/** The standard photo's blob address, if the record has one. */
export function standardPhotoOf(content: ConfirmationContent): string | undefined {
  return content.blobs.find((blob) => blob.role === 'standard-photo')?.sha256;
}
