// Administration → security contacts: who the provider notifies of incidents
// besides the administrators. An editable list (add, edit, remove rows) saved
// all at once; each row's problems on its fields, found before sending or
// answered by the API (`contacts[i].field`).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import { ErrorMessage } from '../../components/Alert';
import { Button } from '../../components/Button';
import { QueryState } from '../../components/QueryState';
import { TextField } from '../../components/TextField';
import { useAdminTitle } from '../../features/admin/sections';
import {
  CONTACT_FIELDS,
  MAX_CONTACTS,
  NAME_MAX,
  errorsByRow,
  newRow,
  rowIssues,
  rowsFrom,
  sameRows,
  saveSecurityContacts,
  securityContactsQuery,
  type ContactField,
  type ContactRow,
  type SecurityContact,
} from '../../features/admin/securityContacts';
import { fieldErrorMessage } from '../../i18n/errors';
import '../../styles/admin-log.css';

export function Component() {
  const { t } = useTranslation();
  useAdminTitle(t('securityContacts.title'));
  const contacts = useQuery(securityContactsQuery);
  return (
    <section className="card" aria-labelledby="security-contacts">
      <h2 id="security-contacts">{t('securityContacts.title')}</h2>
      <div className="security-contacts-intro">
        <p>{t('securityContacts.intro')}</p>
        <ul>
          <li>{t('securityContacts.recipientsAdmins')}</li>
          <li>{t('securityContacts.recipientsContacts')}</li>
        </ul>
        <p className="muted small">{t('securityContacts.privacy')}</p>
      </div>
      <QueryState query={contacts}>{(items) => <ContactsEditor saved={items} />}</QueryState>
    </section>
  );
}

const INPUT: Record<ContactField, { type: string; autoComplete: string; maxLength: number }> = {
  name: { type: 'text', autoComplete: 'off', maxLength: NAME_MAX },
  email: { type: 'email', autoComplete: 'off', maxLength: 254 },
  phone: { type: 'tel', autoComplete: 'off', maxLength: 20 },
};

function ContactsEditor({ saved }: { saved: SecurityContact[] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [base, setBase] = useState(() => rowsFrom(saved));
  const [rows, setRows] = useState<ContactRow[]>(base);
  const [tried, setTried] = useState(false);
  const [done, setDone] = useState(false);
  // Fields whose server error was answered for, until the next save.
  const [edited, setEdited] = useState<Set<string>>(new Set());
  const [focusKey, setFocusKey] = useState<string | null>(null);
  // A new row's name takes the focus; a removed row's goes to "add".
  useEffect(() => {
    if (focusKey) document.querySelector<HTMLInputElement>(`[data-row="${focusKey}"] input`)?.focus();
  }, [focusKey]);

  const save = useMutation({
    mutationFn: saveSecurityContacts,
    onSuccess: (items) => {
      const next = rowsFrom(items);
      setBase(next);
      setRows(next);
      setTried(false);
      setDone(true);
      qc.setQueryData(securityContactsQuery.queryKey, items);
    },
    onSettled: () => setEdited(new Set()),
  });
  const apiErrors = save.error instanceof ApiError ? errorsByRow(save.error.fieldErrors()) : null;
  const dirty = !sameRows(rows, base);
  const full = rows.length >= MAX_CONTACTS;

  function change(index: number, field: ContactField, value: string) {
    setDone(false);
    setEdited((s) => new Set(s).add(`${index}.${field}`));
    setRows((old) => old.map((r, i) => (i === index ? { ...r, [field]: value } : r)));
  }

  function add() {
    const row = newRow();
    setDone(false);
    save.reset();
    setRows((old) => [...old, row]);
    setFocusKey(row.key);
  }

  function remove(index: number) {
    setDone(false);
    save.reset();
    setRows((old) => old.filter((_, i) => i !== index));
    document.getElementById('contacts-add')?.focus();
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    if (rows.some((r) => Object.keys(rowIssues(r)).length > 0)) {
      requestAnimationFrame(() => (document.querySelector('.contact-rows [aria-invalid="true"]') as HTMLElement | null)?.focus());
      return;
    }
    save.mutate(rows);
  }

  function errorsOf(index: number, row: ContactRow, field: ContactField): string[] {
    const local = tried ? rowIssues(row)[field] : undefined;
    const server = edited.has(`${index}.${field}`) ? [] : (apiErrors?.rows.get(index)?.[field] ?? []);
    return [...(local ? [t(`securityContacts.issue.${local}`)] : []), ...server.map((f) => fieldErrorMessage(f, {}, t))];
  }

  return (
    <form onSubmit={submit} noValidate aria-label={t('securityContacts.title')} className="contacts-form">
      {save.isError && (apiErrors && apiErrors.rows.size > 0 ? <ErrorMessage error={save.error} title={t('securityContacts.fixBelow')} /> : <ErrorMessage error={save.error} />)}
      {rows.length === 0 ? (
        <p className="muted" data-testid="no-contacts">
          {t('securityContacts.empty')}
        </p>
      ) : (
        <ol className="contact-rows">
          {rows.map((row, i) => (
            <li key={row.key} data-testid="contact-row" data-row={row.key}>
              <fieldset className="contact-row">
                <legend>{t('securityContacts.rowLegend', { n: i + 1 })}</legend>
                {CONTACT_FIELDS.map((field) => (
                  <TextField
                    key={field}
                    label={t(`securityContacts.${field}`)}
                    // Below the input, so the three inputs line up.
                    after={field === 'phone' ? <span className="field-hint">{t('securityContacts.phoneHint')}</span> : undefined}
                    name={`contacts[${i}].${field}`}
                    required={field !== 'phone'}
                    {...INPUT[field]}
                    value={row[field]}
                    onChange={(e) => change(i, field, e.target.value)}
                    error={errorsOf(i, row, field)}
                  />
                ))}
                <Button
                  variant="secondary"
                  className="btn-small contact-remove"
                  aria-label={t('securityContacts.removeNamed', { n: i + 1, name: row.name.trim() || t('securityContacts.unnamed') })}
                  onClick={() => remove(i)}
                >
                  {t('securityContacts.remove')}
                </Button>
              </fieldset>
            </li>
          ))}
        </ol>
      )}
      {apiErrors && apiErrors.list.length > 0 && (
        <ul className="field-error">
          {apiErrors.list.map((e) => (
            <li key={`${e.field}-${e.code}`}>{fieldErrorMessage(e, {}, t)}</li>
          ))}
        </ul>
      )}
      <div className="form-actions contacts-actions">
        <Button id="contacts-add" disabled={full} aria-describedby={full ? 'contacts-full' : undefined} onClick={add}>
          {t('securityContacts.add')}
        </Button>
        {full && (
          <p id="contacts-full" className="small muted">
            {t('securityContacts.full', { max: MAX_CONTACTS })}
          </p>
        )}
      </div>
      {done && (
        <p role="status" className="muted">
          {t('securityContacts.saved')}
        </p>
      )}
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={save.isPending} disabled={!dirty}>
          {t('securityContacts.save')}
        </Button>
        {dirty && (
          <Button
            variant="secondary"
            onClick={() => {
              setRows(base);
              setTried(false);
              save.reset();
            }}
          >
            {t('securityContacts.discard')}
          </Button>
        )}
      </div>
    </form>
  );
}
