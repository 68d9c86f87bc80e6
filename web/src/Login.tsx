import { useState, type FormEvent } from 'react';
import { ApiError, login, verifyCode, type TokensOut } from './api/client';

function message(e: unknown): string {
  if (e instanceof ApiError) {
    switch (e.problem.code) {
      case 'invalid_credentials':
        return 'テナント、メールアドレスまたはパスワードが違います / Wrong tenant, email or password';
      case 'invalid_code':
        return 'コードが違います / Wrong code';
      case 'rate_limited':
        return '試行回数が多すぎます。しばらく待ってから再試行してください / Too many attempts; wait and retry';
      default:
        return e.problem.detail;
    }
  }
  return 'サーバーに接続できません / Cannot reach the server';
}

/** Sign-in: tenant, email and password, then the texted code when asked. */
export function Login({ onSignedIn }: { onSignedIn: (tokens: TokensOut) => void }) {
  const [mfa, setMfa] = useState<{ token: string; phone: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const field = (name: string) => String(form.get(name) ?? '');
    setBusy(true);
    setError(null);
    try {
      if (mfa) {
        onSignedIn(await verifyCode(mfa.token, field('code').trim()));
        return;
      }
      const out = await login(field('tenant').trim(), field('email').trim(), field('password'));
      if ('mfa_token' in out) {
        setMfa({ token: out.mfa_token, phone: out.phone_masked });
      } else {
        onSignedIn(out);
      }
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label="ログイン / Sign in">
      {mfa ? (
        <>
          <p>{mfa.phone} に送信した 6 桁のコードを入力してください / Enter the code texted to {mfa.phone}</p>
          <label>
            確認コード / Code
            <input name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" required />
          </label>
        </>
      ) : (
        <>
          <label>
            テナント / Tenant
            <input name="tenant" autoComplete="organization" required />
          </label>
          <label>
            メールアドレス / Email
            <input name="email" type="email" autoComplete="username" required />
          </label>
          <label>
            パスワード / Password
            <input name="password" type="password" autoComplete="current-password" required />
          </label>
        </>
      )}
      <button type="submit" disabled={busy}>
        {mfa ? '確認 / Verify' : 'ログイン / Sign in'}
      </button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
