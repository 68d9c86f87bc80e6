// Label chips (code and name) and a picker that finds labels by either.
import { useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

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
  const norm = (s: string) => s.normalize('NFKC').toLowerCase();
  const n = norm(q.trim());
  return n === '' || norm(l.code).includes(n) || norm(l.name ?? '').includes(n);
}

/** A search box listing the labels not chosen yet; choosing one calls `onPick`. */
export function LabelPicker({ options, chosen, onPick, label }: { options: ChipLabel[]; chosen: string[]; onPick: (l: ChipLabel) => void; label: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // After a pick the chosen option disappears: focus goes back to the box,
  // the list closes until the next keystroke.
  const pick = (l: ChipLabel) => {
    onPick(l);
    setQ('');
    setOpen(false);
    input.current?.focus();
  };
  const shown = useMemo(() => options.filter((o) => !chosen.includes(o.code) && matchLabel(o, q)).slice(0, 8), [options, chosen, q]);
  return (
    <div
      className="label-picker"
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <input
        id={id}
        className="input"
        type="search"
        value={q}
        autoComplete="off"
        placeholder={t('labels.pickerPlaceholder')}
        aria-describedby={`${id}-help`}
        ref={input}
        onClick={() => setOpen(true)}
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            if (shown[0]) pick(shown[0]);
          } else if (e.key === 'Escape') {
            setOpen(false);
          } else if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
            document.getElementById(`${id}-options`)?.querySelector<HTMLButtonElement>('button')?.focus();
          }
        }}
      />
      <span id={`${id}-help`} className="visually-hidden">
        {t('labels.pickerHelp')}
      </span>
      {open && (
        <ul id={`${id}-options`} className="picker-options" aria-label={t('labels.pickerOptions')}>
          {shown.length === 0 && <li className="muted picker-none">{t('labels.pickerNone')}</li>}
          {shown.map((o) => (
            <li key={o.code}>
              <button
                type="button"
                className="picker-option"
                onClick={() => pick(o)}
              >
                <span className="chip-code">{o.code}</span> <span>{o.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
