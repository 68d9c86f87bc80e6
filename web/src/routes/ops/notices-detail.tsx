// Operator console → one notice: what tenants see, editing it, cancelling a
// maintenance or withdrawing a release note (asked first), an incident's or
// vulnerability's updates (posted here, shown as the tenants' timeline) and
// who it reached (each email and SMS with its attempts).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { unwrap } from '../../api/errors';
import type { components } from '../../api/schema';
import { opsApi } from '../../auth';
import { Alert, ErrorMessage } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { EmptyState, Page } from '../../components/Page';
import { QueryState } from '../../components/QueryState';
import { NoticeTags, NoticeWhenFact, Timeline } from '../../features/notices/NoticeParts';
import { NoticeEditor } from '../../features/ops/NoticeEditor';
import { formFromNotice, toNoticePatch } from '../../features/ops/noticeForm';
import { deliveriesQuery, noticeQuery, okeys, type Delivery, type OpsNotice } from '../../features/ops/queries';
import { localText } from '../../lib/text';
import { useFormat } from '../../lib/useFormat';
import '../../styles/admin.css';
import '../../styles/ops.css';
import '../../styles/pages.css';

type Stage = components['schemas']['IncidentStage'];
const STAGES: Stage[] = ['investigating', 'identified', 'monitoring', 'resolved'];
const CLOSED = ['completed', 'cancelled', 'resolved'];

export function Component() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const notice = useQuery(noticeQuery(id));
  return (
    <QueryState query={notice}>
      {(n) =>
        n ? (
          <Detail notice={n} />
        ) : (
          <Page title={t('notices.notFoundTitle')}>
            <EmptyState title={t('notices.notFound')}>
              <Link to="/ops/notices">{t('opsNotices.back')}</Link>
            </EmptyState>
          </Page>
        )
      }
    </QueryState>
  );
}

function useRefresh(id: string) {
  const qc = useQueryClient();
  return async (n: OpsNotice) => {
    qc.setQueryData(okeys.notice(id), n);
    await qc.invalidateQueries({ queryKey: okeys.notices });
  };
}

function Detail({ notice }: { notice: OpsNotice }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const lang = i18n.language;
  const created = (useLocation().state as { created?: boolean } | null)?.created;
  const [editing, setEditing] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const refresh = useRefresh(notice.id);
  const original = formFromNotice(notice);
  const patch = useMutation({
    mutationFn: async (f: typeof original) => unwrap(await opsApi.PATCH('/api/v1/ops/notices/{id}', { params: { path: { id: notice.id } }, body: toNoticePatch(f, original) })),
    onSuccess: async (n) => {
      await refresh(n);
      setEditing(false);
    },
  });
  const cancel = useMutation({
    mutationFn: async () => unwrap(await opsApi.DELETE('/api/v1/ops/notices/{id}', { params: { path: { id: notice.id } } })),
    onSuccess: async (n) => {
      await refresh(n);
      setCancelling(false);
    },
  });
  const closed = CLOSED.includes(notice.status);
  const cancellable = !closed && (notice.kind === 'maintenance' || notice.kind === 'release');
  const staged = notice.kind === 'incident' || notice.kind === 'vulnerability';
  const cancelWord = notice.kind === 'release' ? t('opsNotices.withdraw') : t('opsNotices.cancelNotice');

  if (editing) {
    return (
      <Page title={t('opsNotices.editTitle', { title: localText(notice.title, lang) })}>
        <NoticeEditor initial={original} editing busy={patch.isPending} error={patch.error} submitLabel={t('opsNotices.save')} onSubmit={(f) => patch.mutate(f)} onCancel={() => setEditing(false)} />
      </Page>
    );
  }

  return (
    <Page
      title={localText(notice.title, lang)}
      actions={
        <>
          <Link to="/ops/notices" className="btn btn-secondary btn-small">
            <span aria-hidden="true">← </span>
            {t('opsNotices.back')}
          </Link>
          {!closed && (
            <Button className="btn-small" onClick={() => setEditing(true)}>
              {t('opsNotices.edit')}
            </Button>
          )}
          {cancellable && (
            <Button variant="danger" className="btn-small" onClick={() => setCancelling(true)}>
              {cancelWord}
            </Button>
          )}
        </>
      }
    >
      {created && <Alert tone="success">{t('opsNotices.created')}</Alert>}
      {patch.isSuccess && <Alert tone="success">{t('opsNotices.saved')}</Alert>}
      {cancel.isSuccess && <Alert tone="success">{t('opsNotices.cancelled')}</Alert>}
      <article className={`card notice notice-detail notice-${notice.severity} notice-kind-${notice.kind}`} data-testid="ops-notice" aria-label={localText(notice.title, lang)}>
        <NoticeTags notice={notice} />
        <dl className="dl notice-facts">
          <dt>{t('opsNotices.published')}</dt>
          <dd>
            <time dateTime={notice.published_at}>{fmt.dateTime(notice.published_at)}</time>
          </dd>
          <NoticeWhenFact notice={notice} />
          <dt>{t('opsNotices.audience')}</dt>
          <dd>{notice.tenant_ids?.length ? t('opsNotices.audienceCount', { count: notice.tenant_ids.length }) : t('opsNotices.audienceAll')}</dd>
          {notice.emergency_reason && (
            <>
              <dt>{t('notices.reason')}</dt>
              <dd>{notice.emergency_reason}</dd>
            </>
          )}
          <dt>{t('opsNotices.titleEn')}</dt>
          <dd lang="en">{notice.title.en ?? <span className="muted">{t('opsNotices.none')}</span>}</dd>
        </dl>
        <div className="notice-body">{notice.body.ja}</div>
        {notice.body.en && (
          <div className="notice-body" lang="en">
            {notice.body.en}
          </div>
        )}
        {staged && <Timeline notice={notice} level={2} />}
      </article>
      {staged && !closed && <PostUpdate notice={notice} />}
      {staged && <Deliveries id={notice.id} />}
      {cancelling && (
        <Dialog
          open
          title={t('opsNotices.cancelTitle', { action: cancelWord })}
          onClose={() => setCancelling(false)}
          footer={
            <>
              <Button variant="secondary" onClick={() => setCancelling(false)}>
                {t('common.cancel')}
              </Button>
              <Button variant="danger" busy={cancel.isPending} onClick={() => cancel.mutate()}>
                {cancelWord}
              </Button>
            </>
          }
        >
          <p>{t('opsNotices.cancelText', { title: localText(notice.title, lang) })}</p>
          {cancel.isError && <ErrorMessage error={cancel.error} />}
        </Dialog>
      )}
    </Page>
  );
}

function PostUpdate({ notice }: { notice: OpsNotice }) {
  const { t } = useTranslation();
  const id = useId();
  const qc = useQueryClient();
  const refresh = useRefresh(notice.id);
  const [stage, setStage] = useState<Stage>('identified');
  const [ja, setJa] = useState('');
  const [en, setEn] = useState('');
  const post = useMutation({
    mutationFn: async () =>
      unwrap(await opsApi.POST('/api/v1/ops/notices/{id}/updates', { params: { path: { id: notice.id } }, body: { status: stage, body: { ja: ja.trim(), en: en.trim() || null } } })),
    onSuccess: async (n) => {
      setJa('');
      setEn('');
      await Promise.all([refresh(n), qc.invalidateQueries({ queryKey: okeys.deliveries(notice.id) })]);
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    post.mutate();
  }
  return (
    <section className="card ops-section" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('opsNotices.postUpdate')}</h2>
      <form className="ops-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-stage`} className="field-label">
            {t('opsNotices.stage')}
          </label>
          <select id={`${id}-stage`} className="select" value={stage} onChange={(e) => setStage(e.target.value as Stage)}>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {t(`notices.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="pair">
          <div className="field">
            <label htmlFor={`${id}-ja`} className="field-label">
              {t('opsNotices.updateJa')}
            </label>
            <textarea id={`${id}-ja`} className="input textarea" rows={3} maxLength={20000} required value={ja} onChange={(e) => setJa(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-en`} className="field-label">
              {t('opsNotices.updateEn')}
            </label>
            <textarea id={`${id}-en`} lang="en" className="input textarea" rows={3} maxLength={20000} value={en} onChange={(e) => setEn(e.target.value)} />
          </div>
        </div>
        {post.isError && <ErrorMessage error={post.error} />}
        <div className="form-actions">
          <Button variant="primary" type="submit" busy={post.isPending}>
            {t('opsNotices.postUpdateSubmit')}
          </Button>
        </div>
      </form>
    </section>
  );
}

function Deliveries({ id }: { id: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const query = useQuery(deliveriesQuery(id));
  return (
    <section className="card ops-section" aria-labelledby="deliveries-h" data-testid="deliveries">
      <h2 id="deliveries-h">{t('opsNotices.deliveries')}</h2>
      <QueryState query={query}>
        {(items) =>
          items.length === 0 ? (
            <p className="muted">{t('opsNotices.noDeliveries')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table table-compact">
                <caption className="visually-hidden">{t('opsNotices.deliveries')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('opsNotices.message')}</th>
                    <th scope="col">{t('opsNotices.recipient')}</th>
                    <th scope="col">{t('opsNotices.channel')}</th>
                    <th scope="col">{t('opsNotices.destination')}</th>
                    <th scope="col">{t('opsNotices.deliveryStatus')}</th>
                    <th scope="col" className="num">{t('opsNotices.attempts')}</th>
                    <th scope="col">{t('opsNotices.attemptLog')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((d) => (
                    <tr key={d.id} data-testid="delivery-row">
                      <td>{d.update_id ? t('opsNotices.messageUpdate') : t('opsNotices.messagePublished')}</td>
                      <td>
                        <Recipient delivery={d} />
                      </td>
                      <td>{t(`opsNotices.channelName.${d.channel}`)}</td>
                      <td>
                        <code>{d.destination}</code>
                      </td>
                      <td>
                        <span className={`tag ${d.status === 'failed' ? 'tag-alert' : d.status === 'sent' ? 'tag-intact' : 'tag-status'}`}>{t(`opsNotices.deliveryName.${d.status}`)}</span>
                        {d.sent_at && <div className="muted small">{fmt.dateTime(d.sent_at)}</div>}
                      </td>
                      <td className="num">{d.attempts}</td>
                      <td>
                        {d.attempt_log.length === 0 ? (
                          <span className="muted">—</span>
                        ) : (
                          <ol className="attempt-log">
                            {d.attempt_log.map((a, i) => (
                              <li key={`${a.at}-${i}`}>
                                <time dateTime={a.at}>{fmt.dateTime(a.at)}</time> {a.outcome}
                                {a.error && <span className="muted"> — {a.error}</span>}
                              </li>
                            ))}
                          </ol>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryState>
    </section>
  );
}

/** Who a delivery is for: the name, an administrator or a security contact,
 * and a contact's full phone to call during the incident. */
function Recipient({ delivery: d }: { delivery: Delivery }) {
  const { t } = useTranslation();
  const contact = d.recipient_kind === 'security_contact';
  const name = d.recipient_name ?? t('opsNotices.recipientUnknown');
  return (
    <div data-testid="delivery-recipient" data-kind={d.recipient_kind}>
      <div>{name}</div>
      <span className={`tag ${contact ? 'tag-kind' : 'tag-status'}`}>{contact ? t('opsNotices.recipientKind.security_contact') : t('opsNotices.recipientKind.user')}</span>
      {d.call_phone && (
        <div className="small">
          <a href={`tel:${d.call_phone}`} data-testid="call-phone">
            <span className="visually-hidden">{t('opsNotices.callLabel', { name })} </span>
            {d.call_phone}
          </a>
        </div>
      )}
    </div>
  );
}
