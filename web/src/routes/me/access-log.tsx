// My Page → access log: what happened on my account, newest first. Filters
// (event name or prefix, time range) live in the URL; "load more" follows
// next_cursor, so pages never repeat or skip entries.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ErrorMessage } from '../../components/Alert';
import { Button } from '../../components/Button';
import { EmptyState } from '../../components/Page';
import { Spinner } from '../../components/Spinner';
import { TextField } from '../../components/TextField';
import { TimeRangeFields, useTimeRange } from '../../components/TimeRangeFields';
import {
  COMMON_EVENTS,
  EMPTY_FILTERS,
  filtersFromParams,
  hasFilters,
  paramsFromFilters,
  validEvent,
  type LogFilters,
} from '../../features/me/logFilters';
import { accessLogQuery, type LogEntry } from '../../features/me/queries';
import { useSection } from '../../features/me/sections';
import { summarizeUserAgent } from '../../features/me/userAgent';
import { useFormat } from '../../lib/useFormat';
import { useDeviceName } from '../../features/me/useDeviceName';

export function Component() {
  const { t } = useTranslation();
  const heading = useSection('me.tab.accessLog');
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);

  function apply(next: LogFilters) {
    setParams(paramsFromFilters(next, params), { state: null });
  }

  return (
    <section className="card me-section" aria-labelledby="me-log">
      <h2 id="me-log" ref={heading} tabIndex={-1}>
        {t('me.tab.accessLog')}
      </h2>
      <p className="muted">{t('me.log.intro')}</p>
      {/* Keyed by the URL's filters: Back/Forward put their values in the form. */}
      <FilterForm key={params.toString()} filters={filters} onApply={apply} />
      <LogTable filters={filters} />
    </section>
  );
}

export function FilterForm({
  filters,
  onApply,
  extra,
  extraValid = true,
  filtered = hasFilters(filters),
  onTouched,
  onClear = () => onApply(EMPTY_FILTERS),
}: {
  filters: LogFilters;
  onApply: (f: LogFilters) => void;
  /** More fields (the administrator's), applied with these. */
  extra?: ReactNode;
  extraValid?: boolean;
  /** Whether "clear" shows (any filter set). */
  filtered?: boolean;
  onTouched?: () => void;
  onClear?: () => void;
}) {
  const { t } = useTranslation();
  const listId = useId();
  const [event, setEvent] = useState(filters.event);
  const range = useTimeRange(filters.from, filters.to);
  const [touched, setTouched] = useState(false);

  const eventOk = validEvent(event.trim());

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    onTouched?.();
    if (!eventOk || !range.ok || !extraValid) return;
    onApply({ event: event.trim(), from: range.fromIso, to: range.toIso });
  }

  return (
    <form className="filters" onSubmit={submit} aria-label={t('me.log.filters')} noValidate>
      <TextField
        className="filter-event"
        label={t('me.log.event')}
        after={<span className="field-hint">{t('me.log.eventHint')}</span>}
        name="event"
        list={listId}
        autoComplete="off"
        spellCheck={false}
        value={event}
        onChange={(e) => setEvent(e.target.value)}
        error={touched && !eventOk ? t('me.log.eventInvalid') : null}
      />
      <datalist id={listId}>
        {COMMON_EVENTS.map((ev) => (
          <option key={ev} value={ev}>
            {t(`me.log.events.${eventKey(ev)}` as 'me.log.events.http_request')}
          </option>
        ))}
      </datalist>
      <TimeRangeFields range={range} showError={touched} />
      {extra}
      <div className="filter-actions">
        <Button type="submit" variant="primary">
          {t('me.log.apply')}
        </Button>
        {filtered && (
          <Button variant="secondary" onClick={onClear}>
            {t('me.log.clear')}
          </Button>
        )}
      </div>
    </form>
  );
}

/** "auth.login." → "auth_login_" (catalogue keys cannot hold dots). */
function eventKey(event: string): string {
  return event.replace(/\./g, '_');
}

function LogTable({ filters }: { filters: LogFilters }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const deviceName = useDeviceName();
  const log = useInfiniteQuery(accessLogQuery(filters));
  const rows = useMemo(() => log.data?.pages.flatMap((p) => p.items) ?? [], [log.data]);
  const tbody = useRef<HTMLTableSectionElement>(null);
  const focusRow = useRef<number | null>(null);

  // After "load more", focus moves to the first new row.
  useEffect(() => {
    const index = focusRow.current;
    if (index === null || index >= rows.length) return;
    tbody.current?.rows[index]?.focus();
    focusRow.current = null;
  }, [rows.length]);

  if (log.isPending) return <Spinner />;
  if (log.isError && rows.length === 0) return <ErrorMessage error={log.error} onRetry={() => void log.refetch()} />;
  if (rows.length === 0) {
    return <EmptyState title={hasFilters(filters) ? t('me.log.emptyFiltered') : t('me.log.empty')} />;
  }

  const eventLabel = (e: LogEntry) => {
    const key = `me.log.events.${eventKey(e.event)}`;
    return i18n.exists(key) ? t(key as 'me.log.events.http_request') : null;
  };

  return (
    <>
      <div className="table-wrap">
        <table className="table" data-testid="access-log">
          <caption>
            {t('me.log.caption')} <span className="muted">{t('me.log.shown', { count: rows.length })}</span>
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('me.log.time')}</th>
              <th scope="col">{t('me.log.event')}</th>
              <th scope="col">{t('me.log.request')}</th>
              <th scope="col">{t('me.log.status')}</th>
              <th scope="col">{t('me.log.address')}</th>
            </tr>
          </thead>
          <tbody ref={tbody}>
            {rows.map((e) => {
              const label = eventLabel(e);
              return (
                <tr key={e.seq} tabIndex={-1} data-seq={e.seq} data-event={e.event}>
                  <td className="nowrap">
                    <time dateTime={e.at}>{fmt.dateTime(e.at)}</time>
                  </td>
                  <td>
                    {label && <span className="log-event-label">{label}</span>}
                    <code className="log-event">{e.event}</code>
                  </td>
                  <td>
                    {e.method || e.route || e.path ? (
                      <>
                        {e.method && <span className="method">{e.method}</span>} <code>{e.route ?? e.path}</code>
                      </>
                    ) : (
                      <span className="muted">{t('me.log.none')}</span>
                    )}
                  </td>
                  <td>
                    {e.status != null ? (
                      <span className={`http-status http-status-${Math.floor(e.status / 100)}xx`}>{e.status}</span>
                    ) : (
                      <span className="muted">{t('me.log.none')}</span>
                    )}
                  </td>
                  <td>
                    {e.ip ?? <span className="muted">{t('me.log.none')}</span>}
                    {e.user_agent && <div className="muted small">{deviceName(summarizeUserAgent(e.user_agent))}</div>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {log.isFetchNextPageError && <ErrorMessage error={log.error} onRetry={() => void log.fetchNextPage()} />}
      <div className="load-more">
        {log.hasNextPage ? (
          <Button
            busy={log.isFetchingNextPage}
            onClick={() => {
              focusRow.current = rows.length;
              void log.fetchNextPage();
            }}
          >
            {t('me.log.loadMore')}
          </Button>
        ) : (
          <p className="muted small" data-testid="log-end">
            {t('me.log.end')}
          </p>
        )}
      </div>
    </>
  );
}
