// The operator's session: its own token in memory, apart from the tenant
// session. Operators get no refresh token, so a reload or the token's expiry
// means signing in again.
import type { TokenSource } from '../api/client';
import type { TokensOut } from './session';

export type OpsState = { status: 'signed-in' } | { status: 'signed-out'; reason: 'none' | 'expired' | 'signed-out' };

export class OpsSessionStore implements TokenSource {
  private state: OpsState = { status: 'signed-out', reason: 'none' };
  private token: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getSnapshot = (): OpsState => this.state;

  private set(state: OpsState) {
    this.state = state;
    for (const l of this.listeners) l();
  }

  accessToken(): string | null {
    return this.token;
  }

  /** No refresh for operators. */
  refresh(): Promise<string | null> {
    this.expire();
    return Promise.resolve(null);
  }

  expire(): void {
    this.end('expired');
  }

  signIn(tokens: TokensOut): void {
    this.token = tokens.access_token;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.expire(), tokens.expires_in * 1000);
    this.set({ status: 'signed-in' });
  }

  signOut(): void {
    this.end('signed-out');
  }

  private end(reason: 'expired' | 'signed-out') {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.token = null;
    if (this.state.status === 'signed-in') this.set({ status: 'signed-out', reason });
  }
}
