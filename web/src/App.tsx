import { useCallback, useEffect, useState } from 'react';
import { getReadiness, logout, type Readiness } from './api/client';
import { ChangePassword } from './ChangePassword';
import { Login } from './Login';
import { Notices } from './Notices';

/** Sign-in, then the post-login screen with the tenant's notices. Tokens live
 * in memory only: a reload signs out, and nothing is left in storage. */
export function App() {
  const [readiness, setReadiness] = useState<Readiness | null>(null);
  const [token, setToken] = useState<string | null>(null);
  const [mustChange, setMustChange] = useState(false);

  useEffect(() => {
    getReadiness().then(setReadiness, () => setReadiness(null));
  }, []);
  const signedOut = useCallback(() => setToken(null), []);
  const signOut = useCallback(() => {
    if (token) void logout(token).catch(() => undefined);
    setToken(null);
  }, [token]);

  return (
    <main>
      <h1>Crepo</h1>
      <p>パッケージデザインの案件管理 / Package design projects</p>
      {token && mustChange ? (
        <ChangePassword token={token} onChanged={() => setMustChange(false)} />
      ) : token ? (
        <>
          <button type="button" onClick={signOut}>
            ログアウト / Sign out
          </button>
          <Notices token={token} onSignedOut={signedOut} />
        </>
      ) : (
        <Login
          onSignedIn={(t) => {
            setMustChange(t.password_change_required);
            setToken(t.access_token);
          }}
        />
      )}
      {readiness && (
        <p data-testid="readiness">
          サービス状態 / Service: {readiness.status}
        </p>
      )}
    </main>
  );
}
