// Administration → settings: the password policy (with session timeouts and
// the temporary password's validity) and the access log's retention.
// A change that tightens the rules or ends sessions sooner is confirmed in a
// dialog listing its effects before it is saved.
import { useMutation, useQuery, useQueryClient, queryOptions } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { QueryState } from '../../components/QueryState';
import { TextField } from '../../components/TextField';
import { unwrap } from '../../api/errors';
import { api } from '../../auth';
import { useAdminTitle } from '../../features/admin/sections';
import {
  CLASSES,
  RANGES,
  inRange,
  tighteningEffects,
  type Effect,
  type NumberField,
  type PasswordPolicy,
} from '../../features/admin/policy';
import '../../styles/admin-log.css';

const policyQuery = queryOptions({
  queryKey: ['admin', 'password-policy'] as const,
  queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/settings/password-policy', { signal })),
});

export function Component() {
  const { t } = useTranslation();
  useAdminTitle(t('settings.title'));
  const policy = useQuery(policyQuery);
  return (
    <section className="card" aria-labelledby="admin-settings">
      <h2 id="admin-settings">{t('settings.policy')}</h2>
      <QueryState query={policy}>{(data) => <PolicyForm saved={data} />}</QueryState>
      <RetentionSection />
    </section>
  );
}

const retentionQuery = queryOptions({
  queryKey: ['admin', 'log-retention'] as const,
  queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/settings/access-log', { signal })),
});

const RETENTION: [number, number] = [30, 3650];

function RetentionSection() {
  const { t } = useTranslation();
  const retention = useQuery(retentionQuery);
  return (
    <section className="settings-section" aria-labelledby="admin-retention">
      <h2 id="admin-retention">{t('settings.retention')}</h2>
      <QueryState query={retention}>{(data) => <RetentionForm saved={data.retention_days} />}</QueryState>
    </section>
  );
}

function RetentionForm({ saved }: { saved: number }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [days, setDays] = useState(saved);
  const [done, setDone] = useState(false);
  const [min, max] = RETENTION;
  const ok = Number.isInteger(days) && days >= min && days <= max;
  const save = useMutation({
    mutationFn: async (retention_days: number) =>
      unwrap(await api.PUT('/api/v1/settings/access-log', { body: { retention_days } })),
    onSuccess: (data) => {
      setDone(true);
      qc.setQueryData(retentionQuery.queryKey, data);
    },
  });
  return (
    <form
      noValidate
      className="form form-narrow"
      aria-label={t('settings.retention')}
      onSubmit={(e) => {
        e.preventDefault();
        if (ok) save.mutate(days);
      }}
    >
      <TextField
        label={t('settings.retentionDays')}
        hint={t('settings.range', { min, max, what: t('settings.retentionHelp') })}
        type="number"
        name="retention_days"
        min={min}
        max={max}
        value={Number.isNaN(days) ? '' : String(days)}
        onChange={(e) => {
          setDone(false);
          setDays(e.target.valueAsNumber);
        }}
        error={ok ? null : t('settings.outOfRange', { min, max })}
      />
      {save.isError && <ErrorMessage error={save.error} />}
      {done && (
        <p role="status" className="muted">
          {t('settings.retentionSaved')}
        </p>
      )}
      <Button type="submit" variant="primary" busy={save.isPending}>
        {t('settings.save')}
      </Button>
    </form>
  );
}

function PolicyForm({ saved }: { saved: PasswordPolicy }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [draft, setDraft] = useState<PasswordPolicy>(saved);
  const [effects, setEffects] = useState<Effect[] | null>(null);
  const [done, setDone] = useState(false);
  const save = useMutation({
    mutationFn: async (body: PasswordPolicy) => unwrap(await api.PUT('/api/v1/settings/password-policy', { body })),
    onSuccess: (data) => {
      setEffects(null);
      setDone(true);
      qc.setQueryData(policyQuery.queryKey, data);
    },
  });
  const fields = Object.keys(RANGES) as NumberField[];
  const valid = fields.every((f) => inRange(f, draft[f]));

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!valid) return;
    const list = tighteningEffects(saved, draft);
    if (list.length > 0) setEffects(list);
    else save.mutate(draft);
  }

  return (
    <form onSubmit={submit} noValidate aria-label={t('settings.policy')} className="settings-form">
      {fields.map((f) => {
        const [min, max] = RANGES[f];
        return (
          <TextField
            key={f}
            label={t(`settings.fields.${f}`)}
            hint={t('settings.range', { min, max, what: t(`settings.help.${f}`) })}
            type="number"
            name={f}
            min={min}
            max={max}
            value={draft[f] === undefined || Number.isNaN(draft[f]) ? '' : String(draft[f])}
            onChange={(e) => {
              setDone(false);
              setDraft({ ...draft, [f]: e.target.valueAsNumber });
            }}
            error={inRange(f, draft[f]) ? null : t('settings.outOfRange', { min, max })}
          />
        );
      })}
      <fieldset className="fieldset">
        <legend>{t('settings.classes')}</legend>
        {CLASSES.map((c) => (
          <label key={c} className="checkbox">
            <input
              type="checkbox"
              name={c}
              checked={draft[c]}
              onChange={(e) => {
                setDone(false);
                setDraft({ ...draft, [c]: e.target.checked });
              }}
            />{' '}
            {t(`settings.fields.${c}`)}
          </label>
        ))}
      </fieldset>
      {save.isError && <ErrorMessage error={save.error} />}
      {done && (
        <p role="status" className="muted">
          {t('settings.saved')}
        </p>
      )}
      <Button type="submit" variant="primary" busy={save.isPending && effects === null}>
        {t('settings.save')}
      </Button>
      <Dialog
        open={effects !== null}
        title={t('settings.confirmTitle')}
        onClose={() => setEffects(null)}
        footer={
          <>
            <Button variant="secondary" onClick={() => setEffects(null)}>
              {t('settings.cancel')}
            </Button>
            <Button variant="primary" busy={save.isPending} onClick={() => save.mutate(draft)}>
              {t('settings.confirm')}
            </Button>
          </>
        }
      >
        <ul data-testid="policy-effects">
          {(effects ?? []).map((e) => (
            <li key={e}>{t(`settings.effects.${e}`)}</li>
          ))}
        </ul>
      </Dialog>
    </form>
  );
}
