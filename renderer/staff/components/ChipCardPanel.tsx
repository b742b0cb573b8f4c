import type { IdCardData } from '../../../core/contract/id-card.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { FieldList } from '../../ui/FieldList.js';

const date = (d: string) => (/^\d{8}$/.test(d) ? `${d.slice(0, 4)}.${d.slice(4, 6)}.${d.slice(6)}` : d);

/** What the chip said, beside the registration: document type, validity, and the chip photo's status. */
export function ChipCardPanel({ card }: { card: IdCardData }) {
  const f = zhCN.cardReader.fields;
  const rows: [string, string, string | undefined][] = [
    ['cardType', f.cardType, zhCN.cardReader.cardTypes[card.cardType]],
    ['name', f.name, card.name || card.englishName],
    ['nation', f.nation, card.nation ?? card.nationCode],
    ['validity', f.validity, `${date(card.validFrom)} – ${date(card.validTo)}`],
    ['authority', f.authority, card.issuingAuthority],
  ];
  return (
    <section className="panel chip" data-testid="chip-card" aria-label={zhCN.cardReader.readOk}>
      <h2>
        {zhCN.cardReader.readOk} <span className="badge">{zhCN.cardReader.chipBadge}</span>
      </h2>
      <FieldList rows={rows.filter((row): row is [string, string, string] => row[2] !== undefined && row[2] !== '')} />
      {card.photo ? (
        <img className="photo photo--chip" src={card.photo} alt={card.name} data-testid="chip-photo" />
      ) : (
        <p className="hint" data-testid="chip-photo-note">
          {zhCN.cardReader.photoNeedsDecoder}
        </p>
      )}
    </section>
  );
}
