// The operator's notice form (create and edit): kind and severity, the
// Japanese and English texts, the maintenance window or the date a release
// takes effect with the one-week rule (the earliest instant shown; an earlier
// one refused before sending unless an emergency with a reason), the audience
// (every tenant or chosen ones), and a preview of what tenants will see.
import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Notice } from '../../api/queries';
import { ErrorMessage } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Combobox } from '../../components/Combobox';
import { TextField } from '../../components/TextField';
import { bannerLead, bannerNotices } from '../../lib/banners';
import { localText, matchesText } from '../../lib/text';
import { useFormat } from '../../lib/useFormat';
import { NoticeTags, NoticeWindow, useNoticeWhen } from '../notices/NoticeParts';
import { earliestStart, fromLocalInput, hasStart, NOTICE_KINDS, SEVERITIES, validateNotice, type FormField, type NoticeForm } from './noticeForm';
import { allTenantsQuery } from './queries';
import '../../styles/projects.css';

export interface NoticeEditorProps {
  initial: NoticeForm;
  editing?: boolean;
  busy: boolean;
  error: unknown;
  submitLabel: string;
  onSubmit: (form: NoticeForm) => void;
  onCancel: () => void;
}

export function NoticeEditor({ initial, editing = false, busy, error, submitLabel, onSubmit, onCancel }: NoticeEditorProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [f, setF] = useState<NoticeForm>(initial);
  const [tried, setTried] = useState(false);
  const [now] = useState(() => Date.now());
  // Editing asks for the week again only when the start moves or the emergency is dropped (as the server does).
  const moved = !editing || f.startsAt !== initial.startsAt || (initial.emergency && !f.emergency);
  const [checkedAt, setCheckedAt] = useState(now);
  // A release's date can be moved but not removed once published.
  const keepsDate = editing && f.kind === 'release' && initial.startsAt !== '';
  const check = (at: number) => ({ ...validateNotice(f, at, moved), ...(keepsDate && !f.startsAt ? { startsAt: 'required' as const } : {}) });
  const issues = check(checkedAt);
  const shown = tried ? issues : {};
  const earliest = earliestStart(now).toISOString();
  const issue = (field: FormField) => {
    const key = shown[field];
    return key ? t(`opsNotices.issue.${key}`, { date: fmt.dateTime(earliest) }) : null;
  };
  const set = (patch: Partial<NoticeForm>) => setF((old) => ({ ...old, ...patch }));
  const maintenance = f.kind === 'maintenance';

  function submit(e: FormEvent) {
    e.preventDefault();
    const at = Date.now();
    setTried(true);
    setCheckedAt(at);
    if (Object.keys(check(at)).length > 0) {
      // Focus the first field with a problem.
      requestAnimationFrame(() => (document.querySelector('.ops-form [aria-invalid="true"]') as HTMLElement | null)?.focus());
      return;
    }
    onSubmit(f);
  }

  return (
    <div className="ops-columns">
      <form className="card ops-form" onSubmit={submit} noValidate aria-label={submitLabel}>
        <div className="pair">
          <Select label={t('opsNotices.kind')} value={f.kind} disabled={editing} onChange={(kind) => set({ kind: kind as NoticeForm['kind'] })}>
            {NOTICE_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`notices.kind.${k}`)}
              </option>
            ))}
          </Select>
          <Select label={t('opsNotices.severity')} value={f.severity} onChange={(severity) => set({ severity: severity as NoticeForm['severity'] })}>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {t(`notices.severity.${s}`)}
              </option>
            ))}
          </Select>
        </div>
        <div className="pair">
          <TextField label={t('opsNotices.titleJa')} value={f.titleJa} maxLength={200} required onChange={(e) => set({ titleJa: e.target.value })} error={issue('titleJa')} />
          <TextField label={t('opsNotices.titleEn')} lang="en" value={f.titleEn} maxLength={200} onChange={(e) => set({ titleEn: e.target.value })} />
        </div>
        <div className="pair">
          <TextArea label={t('opsNotices.bodyJa')} value={f.bodyJa} required onChange={(bodyJa) => set({ bodyJa })} error={issue('bodyJa')} />
          <TextArea label={t('opsNotices.bodyEn')} lang="en" value={f.bodyEn} onChange={(bodyEn) => set({ bodyEn })} />
        </div>
        {maintenance && (
          <fieldset>
            <legend>{t('opsNotices.window')}</legend>
            <p className="ops-rule muted" data-testid="earliest-start">
              {t('opsNotices.rule', { date: fmt.dateTime(earliest) })}
            </p>
            <div className="pair">
              <TextField
                label={t('opsNotices.startsAt')}
                type="datetime-local"
                required
                value={f.startsAt}
                onChange={(e) => set({ startsAt: e.target.value })}
                error={issue('startsAt')}
              />
              <TextField label={t('opsNotices.endsAt')} type="datetime-local" required value={f.endsAt} onChange={(e) => set({ endsAt: e.target.value })} error={issue('endsAt')} />
            </div>
            <Emergency form={f} label={t('opsNotices.emergency')} hint={t('opsNotices.emergencyHint')} onChange={set} error={issue('reason')} />
          </fieldset>
        )}
        {f.kind === 'release' && (
          <fieldset>
            <legend>{t('opsNotices.effective')}</legend>
            <p className="ops-rule muted" data-testid="earliest-effective">
              {t('opsNotices.effectiveRule', { date: fmt.dateTime(earliest) })}
            </p>
            <TextField
              label={t('opsNotices.effectiveAt')}
              hint={keepsDate ? undefined : t('opsNotices.effectiveHint')}
              type="datetime-local"
              required={keepsDate}
              value={f.startsAt}
              onChange={(e) => set({ startsAt: e.target.value })}
              error={issue('startsAt')}
            />
            {f.startsAt && (
              <Emergency form={f} label={t('opsNotices.emergencyChange')} hint={t('opsNotices.emergencyChangeHint')} onChange={set} error={issue('reason')} />
            )}
          </fieldset>
        )}
        <Audience form={f} disabled={editing} onChange={set} error={issue('tenants')} />
        {tried && Object.keys(issues).length > 0 && (
          <p className="field-error" role="alert">
            {t('opsNotices.fixFirst')}
          </p>
        )}
        {error != null && <ErrorMessage error={error} />}
        <div className="form-actions">
          <Button variant="secondary" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button variant="primary" type="submit" busy={busy}>
            {submitLabel}
          </Button>
        </div>
      </form>
      <Preview form={f} />
    </div>
  );
}

/** "Emergency" (skips the week's notice) and, when ticked, its reason. */
function Emergency({ form, label, hint, onChange, error }: { form: NoticeForm; label: string; hint: string; onChange: (p: Partial<NoticeForm>) => void; error: string | null }) {
  const { t } = useTranslation();
  return (
    <>
      <label className="check">
        <input type="checkbox" checked={form.emergency} onChange={(e) => onChange({ emergency: e.target.checked })} />
        <span>
          {label}
          <span className="muted small"> — {hint}</span>
        </span>
      </label>
      {form.emergency && <TextArea label={t('opsNotices.reason')} value={form.reason} required rows={2} onChange={(reason) => onChange({ reason })} error={error} />}
    </>
  );
}

function Select({ label, value, onChange, disabled, children }: { label: string; value: string; onChange: (v: string) => void; disabled?: boolean; children: ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <select id={id} className="select" value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </div>
  );
}

function TextArea({ label, value, onChange, required, error, rows = 4, lang }: { label: string; value: string; onChange: (v: string) => void; required?: boolean; error?: string | null; rows?: number; lang?: string }) {
  const id = useId();
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <textarea
        id={id}
        lang={lang}
        className="input textarea"
        rows={rows}
        maxLength={20000}
        required={required}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {error && (
        <ul id={`${id}-error`} className="field-error">
          <li>{error}</li>
        </ul>
      )}
    </div>
  );
}

function Audience({ form, disabled, onChange, error }: { form: NoticeForm; disabled: boolean; onChange: (p: Partial<NoticeForm>) => void; error: string | null }) {
  const { t } = useTranslation();
  const tenants = useQuery(allTenantsQuery);
  const byId = new Map((tenants.data ?? []).map((x) => [x.id, x]));
  return (
    <fieldset disabled={disabled}>
      <legend>{t('opsNotices.audience')}</legend>
      <label className="check">
        <input type="radio" name="audience" checked={form.audience === 'all'} onChange={() => onChange({ audience: 'all' })} />
        <span>{t('opsNotices.audienceAll')}</span>
      </label>
      <label className="check">
        <input type="radio" name="audience" checked={form.audience === 'chosen'} onChange={() => onChange({ audience: 'chosen' })} />
        <span>{t('opsNotices.audienceChosen')}</span>
      </label>
      {form.audience === 'chosen' && (
        <>
          {!disabled && (
            <Combobox
              className="member-search"
              label={t('opsNotices.tenantSearch')}
              placeholder={t('opsNotices.tenantSearchPlaceholder')}
              listLabel={t('opsNotices.tenantCandidates')}
              noneText={t('opsNotices.tenantNone')}
              search={(q) => (tenants.data ?? []).filter((x) => !form.tenantIds.includes(x.id) && matchesText(q, x.name, x.slug)).slice(0, 8)}
              optionKey={(x) => x.id}
              renderOption={(x) => (
                <>
                  {x.name} <span className="muted">{x.slug}</span>
                </>
              )}
              onPick={(x) => onChange({ tenantIds: [...form.tenantIds, x.id] })}
            />
          )}
          {tenants.isError && <ErrorMessage error={tenants.error} />}
          <ul className="chosen-tenants" aria-label={t('opsNotices.chosenTenants')} data-testid="chosen-tenants">
            {form.tenantIds.map((id) => (
              <li key={id} className="tag">
                {byId.get(id)?.name ?? id}
                {!disabled && (
                  <button type="button" className="tag-remove" aria-label={t('opsNotices.removeTenant', { name: byId.get(id)?.name ?? id })} onClick={() => onChange({ tenantIds: form.tenantIds.filter((x) => x !== id) })}>
                    ×
                  </button>
                )}
              </li>
            ))}
          </ul>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
        </>
      )}
    </fieldset>
  );
}

/** The notice as tenants will see it: its card and, when it would get one, the banner. */
function Preview({ form }: { form: NoticeForm }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const notice = previewNotice(form);
  const banner = bannerNotices([notice]).length > 0;
  const { lead: leadKey, tone } = bannerLead(notice);
  const lead = t(`banner.${leadKey}`);
  const when = useNoticeWhen()(notice);
  return (
    <section className="card ops-preview" aria-labelledby="preview-heading" data-testid="preview">
      <h2 id="preview-heading">{t('opsNotices.preview')}</h2>
      <p className="muted small">{t('opsNotices.previewHint')}</p>
      {banner && (
        <div className={`banner ${tone}`}>
          <span className="banner-lead">{lead}</span>
          <span className="banner-title">{localText(notice.title, lang) || t('opsNotices.untitled')}</span>
          {when && <span className="banner-window">{when.line}</span>}
        </div>
      )}
      <article className={`card notice notice-${notice.severity} notice-kind-${notice.kind}`} aria-label={t('opsNotices.previewCard')}>
        <NoticeTags notice={notice} />
        <h3 className="notice-title">{localText(notice.title, lang) || t('opsNotices.untitled')}</h3>
        <NoticeWindow notice={notice} />
        <div className="notice-body">{localText(notice.body, lang)}</div>
      </article>
    </section>
  );
}

function previewNotice(f: NoticeForm): Notice {
  const now = new Date().toISOString();
  const starts = hasStart(f.kind) ? fromLocalInput(f.startsAt) : null;
  const ends = f.kind === 'maintenance' ? fromLocalInput(f.endsAt) : null;
  const started = starts != null && Date.parse(starts) <= Date.now();
  const status: Notice['status'] = f.kind === 'maintenance' ? (started ? 'in_progress' : 'scheduled') : f.kind === 'release' ? 'published' : 'investigating';
  return {
    id: 'preview',
    kind: f.kind,
    severity: f.severity,
    title: { ja: f.titleJa, en: f.titleEn || null },
    body: { ja: f.bodyJa, en: f.bodyEn || null },
    starts_at: starts,
    ends_at: ends,
    emergency: starts !== null && f.emergency,
    emergency_reason: null,
    status,
    published_at: now,
    updated_at: now,
    updates: [],
    read: null,
  };
}
