// A search box with suggestions, as the WAI-ARIA APG "combobox with listbox
// popup" (list autocomplete, no automatic selection). Focus never leaves the
// input: the active option is announced through aria-activedescendant.
//   ↓ / ↑      open the list, move the active option (wrapping)
//   Home / End first / last option, while an option is active (else the caret)
//   Enter      pick the active option, or the first one
//   Escape     close the list; a second Escape clears the text
// A click picks too. The list closes when the input loses focus; after a pick
// the text is cleared and focus stays in the input.
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface ComboboxProps<T> {
  label: string;
  /** The suggestions for the text typed (filtered and capped by the caller). */
  search: (q: string) => T[];
  optionKey: (o: T) => string;
  renderOption: (o: T) => ReactNode;
  onPick: (o: T) => void;
  /** The accessible name of the list. */
  listLabel: string;
  placeholder?: string;
  /** Said when text is typed and nothing matches. */
  noneText: string;
  /** The wrapper's class (layout: `label-picker` floats the list). */
  className?: string;
}

export function Combobox<T>({ label, search, optionKey, renderOption, onPick, listLabel, placeholder, noneText, className }: ComboboxProps<T>) {
  const { t } = useTranslation();
  const id = useId();
  const listId = `${id}-list`;
  const optionId = (i: number) => `${id}-opt-${i}`;
  const input = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);

  const shown = search(q);
  const n = shown.length;
  const expanded = open && n > 0;
  const current = expanded && active < n ? active : -1;
  const none = open && n === 0 && q.trim() !== '';

  useEffect(() => {
    if (current >= 0) document.getElementById(optionId(current))?.scrollIntoView?.({ block: 'nearest' });
  });

  function close() {
    setOpen(false);
    setActive(-1);
  }

  function pick(o: T) {
    onPick(o);
    setQ('');
    close();
    input.current?.focus();
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        e.preventDefault();
        setOpen(true);
        if (e.altKey || n === 0) return;
        const down = e.key === 'ArrowDown';
        if (current < 0) setActive(down ? 0 : n - 1);
        else setActive((current + (down ? 1 : n - 1)) % n);
        return;
      }
      case 'Home':
      case 'End':
        if (current < 0) return; // the caret moves in the text
        e.preventDefault();
        setActive(e.key === 'Home' ? 0 : n - 1);
        return;
      case 'Enter':
        // Never submits a surrounding form.
        e.preventDefault();
        if (expanded) pick(shown[current >= 0 ? current : 0]);
        return;
      case 'Escape':
        if (expanded) close();
        else if (q !== '') setQ('');
        else return; // nothing to undo: a surrounding dialog may close
        e.preventDefault();
        e.stopPropagation();
        return;
    }
  }

  return (
    <div className={className ? `combobox ${className}` : 'combobox'}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <input
        id={id}
        ref={input}
        className="input"
        type="text"
        role="combobox"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={current >= 0 ? optionId(current) : undefined}
        aria-describedby={`${id}-help`}
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onClick={() => setOpen(true)}
        onKeyDown={onKeyDown}
        onBlur={close}
      />
      <span id={`${id}-help`} className="visually-hidden">
        {t('common.comboboxHelp')}
      </span>
      <ul id={listId} role="listbox" aria-label={listLabel} className="picker-options" hidden={!expanded}>
        {expanded &&
          shown.map((o, i) => (
            <li
              key={optionKey(o)}
              id={optionId(i)}
              role="option"
              aria-selected={i === current}
              className="picker-option"
              // Keeps focus in the input, so the click lands before the blur closes the list.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(o)}
            >
              {renderOption(o)}
            </li>
          ))}
      </ul>
      {none && (
        <p className="picker-options picker-none muted" aria-hidden="true">
          {noneText}
        </p>
      )}
      <span role="status" className="visually-hidden">
        {none ? noneText : ''}
      </span>
    </div>
  );
}
