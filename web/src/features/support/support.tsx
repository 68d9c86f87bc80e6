// The support contacts (public GET /support, from server configuration):
// a one-line footer for the shell and the sign-in pages, and the full list
// for the /support page. Hours are shown in the current language; when the
// server configures nothing, the page says so and the footer only links it.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { publicApi } from '../../api/client';
import { unwrap } from '../../api/errors';
import { EmptyState } from '../../components/Page';
import { QueryState } from '../../components/QueryState';
import type { components } from '../../api/schema';
import '../../styles/support.css';

type Support = components['schemas']['SupportOut'];

export const supportQuery = queryOptions({
  queryKey: ['support'] as const,
  queryFn: async ({ signal }) => unwrap(await publicApi.GET('/api/v1/support', { signal })),
  staleTime: 60 * 60_000,
});

/** The hours in the language shown ('' when not configured). */
export function hoursIn(s: Support, language: string): string {
  return ((language.startsWith('en') ? s.hours_en : s.hours_ja) ?? '').trim();
}

/** Whether the server configures any contact. */
export function configured(s: Support, language: string): boolean {
  return Boolean(s.email || s.phone || s.url || hoursIn(s, language));
}

function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}

/** "Support: mail · phone · hours · Support page" in one line. */
export function SupportFooter({ page = true }: { page?: boolean }) {
  const { t, i18n } = useTranslation();
  const support = useQuery(supportQuery);
  if (!support.data) return null;
  const d = support.data;
  const hours = hoursIn(d, i18n.language);
  const items: ReactNode[] = [
    d.email && <a href={`mailto:${d.email}`}>{d.email}</a>,
    d.phone && <a href={telHref(d.phone)}>{d.phone}</a>,
    hours && <span>{hours}</span>,
    page && <Link to="/support">{t('support.more')}</Link>,
  ].filter(Boolean);
  if (items.length === 0) return null;
  return (
    <footer className="support-footer muted small" data-testid="support-footer">
      <span>{t('support.title')}:</span>{' '}
      {items.map((item, i) => (
        <Fragment key={i}>
          {i > 0 && <span aria-hidden="true"> · </span>}
          {item}
        </Fragment>
      ))}
    </footer>
  );
}

/** Every contact as a definition list (or "nothing configured"). */
export function SupportDetails() {
  const { t, i18n } = useTranslation();
  const support = useQuery(supportQuery);
  return (
    <QueryState query={support}>
      {(d) => {
        if (!configured(d, i18n.language)) return <EmptyState title={t('support.notConfigured')} />;
        const hours = hoursIn(d, i18n.language);
        return (
          <dl className="support-details" data-testid="support-details">
            <dt>{t('support.email')}</dt>
            <dd>{d.email ? <a href={`mailto:${d.email}`}>{d.email}</a> : t('support.none')}</dd>
            <dt>{t('support.phone')}</dt>
            <dd>{d.phone ? <a href={telHref(d.phone)}>{d.phone}</a> : t('support.none')}</dd>
            <dt>{t('support.hours')}</dt>
            <dd>{hours || t('support.none')}</dd>
            <dt>{t('support.url')}</dt>
            <dd>{d.url ? <a href={d.url}>{d.url}</a> : t('support.none')}</dd>
          </dl>
        );
      }}
    </QueryState>
  );
}
