import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  /** Help under the label, tied to the input by aria-describedby. */
  hint?: ReactNode;
  /** Error text(s); marks the input invalid. */
  error?: string | string[] | null;
  /** Content after the input (a live checklist, say), also described-by. */
  after?: ReactNode;
}

/** A labelled input with its hint and errors wired up for assistive technology. */
export function TextField({ label, hint, error, after, className, required, ...input }: TextFieldProps) {
  const id = useId();
  const errors = (Array.isArray(error) ? error : error ? [error] : []).filter(Boolean);
  const describedBy = [hint ? `${id}-hint` : null, errors.length ? `${id}-error` : null, after ? `${id}-after` : null]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={['field', errors.length ? 'field-invalid' : null, className].filter(Boolean).join(' ')}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {hint && (
        <div id={`${id}-hint`} className="field-hint">
          {hint}
        </div>
      )}
      <input
        id={id}
        className="input"
        required={required}
        aria-invalid={errors.length ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {errors.length > 0 && (
        <ul id={`${id}-error`} className="field-error">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
      {after && (
        <div id={`${id}-after`} className="field-after">
          {after}
        </div>
      )}
    </div>
  );
}
