// Who holds a role (GET /users?role_id=), with "load more".
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Button } from '../../components/Button';
import { QueryState } from '../../components/QueryState';
import { holdersQuery } from './queries';

export function Holders({ roleId }: { roleId: string }) {
  const { t } = useTranslation();
  const query = useInfiniteQuery(holdersQuery(roleId));
  return (
    <QueryState query={query}>
      {(data) => {
        const users = data.pages.flatMap((p) => p.items);
        if (users.length === 0) return <p className="muted small">{t('roles.noHolders')}</p>;
        return (
          <>
            <ul className="holder-list" data-testid="holders">
              {users.map((u) => (
                <li key={u.id}>
                  <Link to={`/admin/users/${u.id}`}>{u.name}</Link> <span className="muted small">{u.email}</span>
                </li>
              ))}
            </ul>
            {query.hasNextPage && (
              <Button className="btn-small" busy={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
                {t('roles.moreHolders')}
              </Button>
            )}
          </>
        );
      }}
    </QueryState>
  );
}
