/** Label/value rows, each marked with its field key (tests and styles select by it). */
export function FieldList({ rows, large = false }: { rows: readonly (readonly [key: string, label: string, value: string])[]; large?: boolean }) {
  return (
    <dl className={large ? 'fields fields--large' : 'fields'}>
      {rows.map(([key, label, value]) => (
        <div key={key} className="fields__row" data-field={key}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
