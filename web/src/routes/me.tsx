// My Page: the signed-in user's profile. (Password change, own access log and
// sessions are added here by the My Page work.)
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { meQuery } from '../api/queries';
import { Page } from '../components/Page';
import { QueryState } from '../components/QueryState';
import { useFormat } from '../lib/useFormat';

/** "+81******5678": the phone with all but the country code and last four hidden. */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return phone;
  return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4);
}

export function Component() {
  const { t } = useTranslation();
  const me = useQuery(meQuery);
  const fmt = useFormat();
  return (
    <Page title={t('me.title')}>
      <QueryState query={me}>
        {(m) => (
          <section className="card" aria-labelledby="me-profile">
            <h2 id="me-profile">{t('me.profile')}</h2>
            <dl className="dl">
              <dt>{t('me.name')}</dt>
              <dd>{m.name}</dd>
              <dt>{t('me.email')}</dt>
              <dd>{m.email}</dd>
              <dt>{t('me.phone')}</dt>
              <dd>{m.phone ? maskPhone(m.phone) : t('me.noPhone')}</dd>
              <dt>{t('me.tenant')}</dt>
              <dd>
                {m.tenant.name} <span className="muted">({m.tenant.slug})</span>
              </dd>
              <dt>{t('me.roles')}</dt>
              <dd>{m.roles.map((r) => r.name).join(', ') || t('me.noRoles')}</dd>
              <dt>{t('me.passwordChangedAt')}</dt>
              <dd>{fmt.dateTime(m.password_changed_at)}</dd>
            </dl>
          </section>
        )}
      </QueryState>
    </Page>
  );
}
