import { useState, type FormEvent } from 'react';
import { ApiError, changePassword } from './api/client';

/** Every reason the server gave, one per line (field rules come as `errors`). */
function reasons(e: unknown): string[] {
  if (e instanceof ApiError) {
    const fields = e.problem.errors?.map((f) => f.message) ?? [];
    return fields.length > 0 ? fields : [e.problem.detail];
  }
  return ['サーバーに接続できません / Cannot reach the server'];
}

/** Shown after signing in with a temporary password: nothing else opens until it is changed. */
export function ChangePassword({ token, onChanged }: { token: string; onChanged: () => void }) {
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const current = String(form.get('current') ?? '');
    const next = String(form.get('next') ?? '');
    if (next !== String(form.get('confirm') ?? '')) {
      setErrors(['新しいパスワードが一致しません / The new passwords differ']);
      return;
    }
    setBusy(true);
    try {
      await changePassword(token, current, next);
      onChanged();
    } catch (err) {
      setErrors(reasons(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label="パスワード変更 / Change password">
      <p>パスワードの変更が必要です / You must change your password first</p>
      <label>
        現在のパスワード / Current password
        <input name="current" type="password" autoComplete="current-password" required />
      </label>
      <label>
        新しいパスワード / New password
        <input name="next" type="password" autoComplete="new-password" required />
      </label>
      <label>
        新しいパスワード（確認） / Confirm new password
        <input name="confirm" type="password" autoComplete="new-password" required />
      </label>
      <button type="submit" disabled={busy}>
        変更 / Change
      </button>
      {errors.length > 0 && (
        <ul role="alert">
          {errors.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </form>
  );
}
