// My Page → profile: who I am here (name, email, masked phone, organisation,
// roles), and changing my phone.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { meQuery } from '../../api/queries';
import { QueryState } from '../../components/QueryState';
import { PhoneChange } from '../../features/me/PhoneChange';
import { maskPhone } from '../../features/me/phone';
import { useSection } from '../../features/me/sections';
import { useFormat } from '../../lib/useFormat';

export function Component() {
  const { t } = useTranslation();
  const heading = useSection('me.tab.profile');
  const me = useQuery(meQuery);
  const fmt = useFormat();
  return (
    <section className="card" aria-labelledby="me-profile">
      <h2 id="me-profile" ref={heading} tabIndex={-1}>
        {t('me.profile')}
      </h2>
      <QueryState query={me}>
        {(m) => (
          <>
            <dl className="dl">
              <dt>{t('me.name')}</dt>
              <dd data-testid="me-name">{m.name}</dd>
              <dt>{t('me.email')}</dt>
              <dd>{m.email}</dd>
              <dt>{t('me.phone')}</dt>
              <dd data-testid="me-phone">
                {m.phone ? (
                  <>
                    <span className="mono">{maskPhone(m.phone)}</span>{' '}
                    <span className="muted small">{t('me.phoneMasked')}</span>
                  </>
                ) : (
                  t('me.noPhone')
                )}
              </dd>
              <dt>{t('me.tenant')}</dt>
              <dd>
                {m.tenant.name} <span className="muted">({m.tenant.slug})</span>
              </dd>
              <dt>{t('me.roles')}</dt>
              <dd>
                {m.roles.length ? (
                  <ul className="inline-list">
                    {m.roles.map((r) => (
                      <li key={r.id} className="tag">
                        {r.name}
                      </li>
                    ))}
                  </ul>
                ) : (
                  t('me.noRoles')
                )}
              </dd>
              <dt>{t('me.passwordChangedAt')}</dt>
              <dd>
                {fmt.dateTime(m.password_changed_at)}{' '}
                <Link to="/me/password" className="small">
                  {t('me.tab.password')}
                </Link>
              </dd>
            </dl>
            <PhoneChange />
            <p className="muted small section-note">{t('me.profileNote')}</p>
          </>
        )}
      </QueryState>
    </section>
  );
}
