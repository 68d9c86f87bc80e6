// Label chips (code and name) and a picker that finds labels by either.
import { useTranslation } from 'react-i18next';
import { matchesText } from '../lib/text';
import { Combobox } from './Combobox';

export interface ChipLabel {
  id?: string;
  code: string;
  name?: string;
}

export function LabelChip({ label, onRemove }: { label: ChipLabel; onRemove?: () => void }) {
  const { t } = useTranslation();
  return (
    <span className="chip" data-testid="label-chip" data-code={label.code}>
      <span className="chip-code">{label.code}</span>
      {label.name && <span className="chip-name">{label.name}</span>}
      {onRemove && (
        <button type="button" className="chip-remove" onClick={onRemove} aria-label={t('labels.removeChip', { code: label.code, name: label.name ?? '' })}>
          ×
        </button>
      )}
    </span>
  );
}

export function LabelChipList({ labels, onRemove, label }: { labels: ChipLabel[]; onRemove?: (l: ChipLabel) => void; label: string }) {
  if (labels.length === 0) return null;
  return (
    <ul className="chip-list" aria-label={label}>
      {labels.map((l) => (
        <li key={l.code}>
          <LabelChip label={l} onRemove={onRemove ? () => onRemove(l) : undefined} />
        </li>
      ))}
    </ul>
  );
}

/** Matches by code or name, case- and width-insensitively. */
export function matchLabel(l: ChipLabel, q: string): boolean {
  return matchesText(q, l.code, l.name);
}

/** A combobox of the labels not chosen yet (code and name); picking one calls `onPick`. */
export function LabelPicker({ options, chosen, onPick, label }: { options: ChipLabel[]; chosen: string[]; onPick: (l: ChipLabel) => void; label: string }) {
  const { t } = useTranslation();
  return (
    <Combobox
      className="label-picker"
      label={label}
      placeholder={t('labels.pickerPlaceholder')}
      listLabel={t('labels.pickerOptions')}
      noneText={t('labels.pickerNone')}
      search={(q) => options.filter((o) => !chosen.includes(o.code) && matchLabel(o, q)).slice(0, 8)}
      optionKey={(o) => o.code}
      renderOption={(o) => (
        <>
          <span className="chip-code">{o.code}</span> <span>{o.name}</span>
        </>
      )}
      onPick={onPick}
    />
  );
}
