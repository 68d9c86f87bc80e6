// My Page → sessions: where I am signed in (device, address, started, last
// seen, "this device"), ending one (a lost laptop) or all the others. Ending
// this device's session is signing out.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { session } from '../../auth';
import { Alert, ErrorMessage } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { EmptyState } from '../../components/Page';
import { QueryState } from '../../components/QueryState';
import { endOtherSessions, endSession, meKeys, sessionsQuery, type MySession } from '../../features/me/queries';
import { useSection } from '../../features/me/sections';
import { useDeviceName } from '../../features/me/useDeviceName';
import { summarizeUserAgent } from '../../features/me/userAgent';
import { useFormat } from '../../lib/useFormat';

type Outcome = { kind: 'one' } | { kind: 'others'; count: number };

export function Component() {
  const { t } = useTranslation();
  const heading = useSection('me.tab.sessions');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const sessions = useQuery(sessionsQuery);
  const fmt = useFormat();
  const deviceName = useDeviceName();
  const [ending, setEnding] = useState<MySession | null>(null);
  const [endingOthers, setEndingOthers] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);

  const device = (s: MySession) => deviceName(summarizeUserAgent(s.user_agent));

  const endOne = useMutation({
    mutationFn: async (s: MySession) => {
      await endSession(s.id);
      return s;
    },
    onSuccess: async (s) => {
      setEnding(null);
      if (s.current) {
        // This device's session is over on the server: sign out here too.
        await session.signOut();
        navigate('/sign-in', { replace: true, state: { reason: 'signed-out' } });
        return;
      }
      await queryClient.invalidateQueries({ queryKey: meKeys.sessions });
      setOutcome({ kind: 'one' });
    },
  });

  const endOthers = useMutation({
    mutationFn: endOtherSessions,
    onSuccess: async (count) => {
      setEndingOthers(false);
      await queryClient.invalidateQueries({ queryKey: meKeys.sessions });
      setOutcome({ kind: 'others', count });
    },
  });

  // The row (or button) that had focus is gone after ending: focus the outcome.
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);

  const others = sessions.data?.filter((s) => !s.current).length ?? 0;

  return (
    <section className="card me-section" aria-labelledby="me-sessions">
      <div className="section-header">
        <h2 id="me-sessions" ref={heading} tabIndex={-1}>
          {t('me.tab.sessions')}
        </h2>
        <Button
          variant="danger"
          disabled={!sessions.data || others === 0}
          onClick={() => {
            endOthers.reset();
            setEndingOthers(true);
          }}
        >
          {t('me.sessions.endOthers')}
        </Button>
      </div>
      <p className="muted">{t('me.sessions.intro')}</p>
      {outcome && (
        <div ref={outcomeRef} tabIndex={-1} className="focus-target" data-testid="sessions-outcome">
          <Alert tone="success">
            {outcome.kind === 'one' ? t('me.sessions.ended') : t('me.sessions.endedOthers', { count: outcome.count })}
          </Alert>
        </div>
      )}
      <QueryState query={sessions}>
        {(items) =>
          items.length === 0 ? (
            <EmptyState title={t('me.sessions.empty')} />
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="sessions">
                <caption>
                  {t('me.sessions.caption')} <span className="muted">{t('me.sessions.count', { count: items.length })}</span>
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('me.sessions.device')}</th>
                    <th scope="col">{t('me.sessions.address')}</th>
                    <th scope="col">{t('me.sessions.started')}</th>
                    <th scope="col">{t('me.sessions.lastSeen')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('me.sessions.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((s) => (
                    <tr key={s.id} data-session-id={s.id} data-current={s.current ? 'true' : 'false'}>
                      <th scope="row">
                        <span className="cell-device">
                          <span>{device(s)}</span>
                          {s.current && <span className="tag tag-current">{t('me.sessions.thisDevice')}</span>}
                        </span>
                      </th>
                      <td>{s.ip ?? <span className="muted">{t('me.sessions.unknownAddress')}</span>}</td>
                      <td className="nowrap">
                        <time dateTime={s.created_at}>{fmt.dateTime(s.created_at)}</time>
                      </td>
                      <td className="nowrap">
                        <time dateTime={s.last_seen_at}>{fmt.dateTime(s.last_seen_at)}</time>
                      </td>
                      <td className="cell-actions">
                        <Button
                          variant="danger"
                          className="btn-small"
                          aria-label={
                            s.current
                              ? t('me.sessions.signOutHereLabel')
                              : t('me.sessions.endLabel', { device: device(s), started: fmt.dateTime(s.created_at) })
                          }
                          onClick={() => {
                            endOne.reset();
                            setEnding(s);
                          }}
                        >
                          {s.current ? t('me.sessions.signOutHere') : t('me.sessions.end')}
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryState>

      <Dialog
        open={ending !== null}
        title={ending?.current ? t('me.sessions.endCurrentTitle') : t('me.sessions.endTitle')}
        onClose={() => setEnding(null)}
        footer={
          <>
            <Button onClick={() => setEnding(null)}>{t('common.cancel')}</Button>
            <Button variant="primary" busy={endOne.isPending} onClick={() => ending && endOne.mutate(ending)}>
              {ending?.current ? t('me.sessions.signOutHere') : t('me.sessions.endConfirm')}
            </Button>
          </>
        }
      >
        {ending && (
          <>
            <p>
              {ending.current
                ? t('me.sessions.endCurrentBody')
                : t('me.sessions.endBody', { device: device(ending), address: ending.ip ?? t('me.sessions.unknownAddress') })}
            </p>
            {endOne.isError && <ErrorMessage error={endOne.error} />}
          </>
        )}
      </Dialog>

      <Dialog
        open={endingOthers}
        title={t('me.sessions.endOthersTitle')}
        onClose={() => setEndingOthers(false)}
        footer={
          <>
            <Button onClick={() => setEndingOthers(false)}>{t('common.cancel')}</Button>
            <Button variant="primary" busy={endOthers.isPending} onClick={() => endOthers.mutate()}>
              {t('me.sessions.endOthersConfirm')}
            </Button>
          </>
        }
      >
        <p>{t('me.sessions.endOthersBody', { count: others })}</p>
        {endOthers.isError && <ErrorMessage error={endOthers.error} />}
      </Dialog>
    </section>
  );
}
