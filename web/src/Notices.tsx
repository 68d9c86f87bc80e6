import { useCallback, useEffect, useState } from 'react';
import { ApiError, listNotices, markNoticeRead, type Notice } from './api/client';
import { kindLabel, statusLabel, tokyoTime, unreadFirst, windowText } from './notices';

function NoticeCard({ notice, onRead }: { notice: Notice; onRead: (id: string) => void }) {
  const window = windowText(notice);
  return (
    <article
      data-testid="notice"
      data-notice-id={notice.id}
      data-read={notice.read ? 'true' : 'false'}
      className={`notice notice-${notice.severity}`}
    >
      <header>
        <span className="kind">{kindLabel(notice)}</span> <span className="status">{statusLabel(notice)}</span>
        {notice.emergency && <strong> 緊急 / Emergency</strong>}
        <h3>{notice.title.ja}</h3>
        {notice.title.en && <p lang="en">{notice.title.en}</p>}
      </header>
      {window && <p className="window">{window}</p>}
      {notice.emergency_reason && <p>理由 / Reason: {notice.emergency_reason}</p>}
      <p>{notice.body.ja}</p>
      {notice.body.en && <p lang="en">{notice.body.en}</p>}
      {notice.updates.length > 0 && (
        <ol className="updates">
          {notice.updates.map((u) => (
            <li key={u.at}>
              {tokyoTime(u.at)} — {u.status}: {u.body.ja}
            </li>
          ))}
        </ol>
      )}
      <footer>
        公開 / Published {tokyoTime(notice.published_at)}{' '}
        {notice.read ? (
          <span>既読 / Read</span>
        ) : (
          <button type="button" onClick={() => onRead(notice.id)}>
            既読にする / Mark read
          </button>
        )}
      </footer>
    </article>
  );
}

/** The post-login screen's notices: maintenance ahead, vulnerabilities, incidents, releases. */
export function Notices({ token, onSignedOut }: { token: string; onSignedOut: () => void }) {
  const [items, setItems] = useState<Notice[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    listNotices(token).then(setItems, (e: unknown) => {
      if (e instanceof ApiError && e.problem.status === 401) {
        onSignedOut();
      } else if (e instanceof ApiError && e.problem.code === 'password_change_required') {
        setError('パスワードの変更が必要です / You must change your password first');
      } else {
        setError(e instanceof ApiError ? e.problem.detail : 'お知らせを読み込めません / Cannot load notices');
      }
    });
  }, [token, onSignedOut]);

  useEffect(load, [load]);

  async function read(id: string) {
    try {
      await markNoticeRead(token, id);
      setItems((prev) => prev?.map((n) => (n.id === id ? { ...n, read: true } : n)) ?? null);
    } catch (e) {
      setError(e instanceof ApiError ? e.problem.detail : String(e));
    }
  }

  const unread = items?.filter((n) => !n.read).length ?? 0;
  return (
    <section aria-labelledby="notices-heading">
      <h2 id="notices-heading">
        お知らせ / Notices {items && <span data-testid="unread-count">（未読 / unread {unread}）</span>}
      </h2>
      {error && <p role="alert">{error}</p>}
      {items && items.length === 0 && <p>現在お知らせはありません / No notices</p>}
      {items && unreadFirst(items).map((n) => <NoticeCard key={n.id} notice={n} onRead={read} />)}
    </section>
  );
}
