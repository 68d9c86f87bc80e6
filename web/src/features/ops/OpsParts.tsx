// Small pieces the operator pages share: "load more" under a list, the
// count above it, and a JSON details disclosure.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/Alert';
import { Button } from '../../components/Button';
import { EmptyState } from '../../components/Page';
import { Spinner } from '../../components/Spinner';

interface PagedQuery {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/** A paged list's states: loading, error, empty, else the count, the table and "load more". */
export function Paged({ query, count, empty, children }: { query: PagedQuery; count: number; empty: string; children: ReactNode }) {
  if (query.isPending) return <Spinner />;
  if (query.isError) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  if (count === 0) return <EmptyState title={empty} />;
  return (
    <>
      <ListCount count={count} more={query.hasNextPage} />
      <div className="table-wrap">{children}</div>
      <LoadMore query={query} />
    </>
  );
}

export function LoadMore({ query }: { query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown } }) {
  const { t } = useTranslation();
  if (!query.hasNextPage) return null;
  return (
    <div className="load-more">
      <Button busy={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
        {t('opsTenants.common.loadMore')}
      </Button>
    </div>
  );
}

export function ListCount({ count, more, testId }: { count: number; more: boolean; testId?: string }) {
  const { t } = useTranslation();
  return (
    <p className="muted" role="status" data-testid={testId}>
      {more ? t('opsTenants.common.countMore', { count }) : t('opsTenants.common.count', { count })}
    </p>
  );
}

export function Details({ value }: { value: unknown }) {
  const { t } = useTranslation();
  const empty = !value || (typeof value === 'object' && Object.keys(value).length === 0);
  if (empty) return <span className="muted">—</span>;
  return (
    <details className="ops-details">
      <summary>{t('opsTenants.common.details')}</summary>
      <pre>{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}
