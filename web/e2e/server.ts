// The real service for browser tests: `crepo serve` on a free port with a fresh
// data directory, serving the built SPA from web/dist. The binary is $CREPO_BIN
// (the Makefile sets it), else target/debug/crepo under $CARGO_TARGET_DIR or
// the repository.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const bin = process.env.CREPO_BIN
  ? resolve(process.env.CREPO_BIN)
  : join(resolve(root, process.env.CARGO_TARGET_DIR ?? 'target'), 'debug/crepo');
// $CREPO_E2E_DIST lets parallel work build the SPA elsewhere than web/dist.
const dist = process.env.CREPO_E2E_DIST ? resolve(process.env.CREPO_E2E_DIST) : join(root, 'web/dist');
export const OPS_PASSWORD = 'operator passphrase for browser tests';
export const OPS_PHONE = '+819099998888';
export const OPS_EMAIL = 'ops@crepo.example';

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => ok(port));
    });
  });
}

export class Server {
  private operatorMade = false;

  private constructor(
    readonly url: string,
    readonly dataDir: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly child: ChildProcess,
  ) {}

  /** `env` adds server settings, e.g. `{ CREPO_ACCESS_TOKEN_TTL_SECS: '5' }`. */
  static async start(options: { env?: Record<string, string> } = {}): Promise<Server> {
    if (!existsSync(bin)) throw new Error(`${bin} missing: run cargo build --bin crepo`);
    if (!existsSync(join(dist, 'index.html'))) throw new Error(`${dist} missing: run npm run build`);
    const dataDir = mkdtempSync(join(tmpdir(), 'crepo-e2e-'));
    const port = await freePort();
    const env = {
      PATH: process.env.PATH,
      CREPO_DATA_DIR: dataDir,
      CREPO_LISTEN: `127.0.0.1:${port}`,
      CREPO_WEB_DIR: dist,
      CREPO_LOG: 'warn',
      CREPO_WORKERS: '2',
      ...options.env,
    };
    const child = spawn(bin, ['serve'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    const server = new Server(`http://127.0.0.1:${port}`, dataDir, env, child);
    for (let i = 0; i < 200; i++) {
      const live = await fetch(`${server.url}/health/live`).catch(() => null);
      if (live?.ok) return server;
      await new Promise((r) => setTimeout(r, 100));
    }
    server.stop();
    throw new Error('crepo serve did not start');
  }

  stop(): void {
    this.child.kill('SIGTERM');
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  async post(path: string, body: unknown, token?: string): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    return fetch(`${this.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  }

  /** The 6-digit code in the latest text to `phone` (the SMS outbox). */
  lastCode(phone: string): string {
    const lines = readFileSync(join(this.dataDir, 'sms-outbox.jsonl'), 'utf8').trim().split('\n');
    const last = lines.map((l) => JSON.parse(l) as { to: string; body: string }).filter((m) => m.to === phone).pop();
    const code = last?.body.match(/\b\d{6}\b/)?.[0];
    if (!code) throw new Error(`no code texted to ${phone}`);
    return code;
  }

  async signup(slug: string, phone: string): Promise<string> {
    const res = await this.post('/api/v1/signup', {
      tenant_slug: slug,
      tenant_name: `${slug} 株式会社`,
      email: `owner@${slug}.example`,
      password: 'correct horse battery staple',
      name: '山田 花子',
      phone,
      accept_terms_version: '2026-12-01',
    });
    if (res.status !== 201) throw new Error(`signup ${slug}: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { tenant: { id: string } };
    return body.tenant.id;
  }

  /** An operator made by the CLI (once per server). */
  createOperator(): void {
    if (this.operatorMade) return;
    execFileSync(bin, ['operator', 'create', '--email', OPS_EMAIL, '--phone', OPS_PHONE], {
      env: { ...this.env, CREPO_OPERATOR_PASSWORD: OPS_PASSWORD },
      stdio: 'ignore',
    });
    this.operatorMade = true;
  }

  /** An operator made by the CLI and signed in with the texted code. */
  async operatorToken(): Promise<string> {
    this.createOperator();
    const login = await this.post('/api/v1/ops/auth/login', { email: OPS_EMAIL, password: OPS_PASSWORD });
    const { mfa_token } = (await login.json()) as { mfa_token: string };
    const mfa = await this.post('/api/v1/ops/auth/mfa', { mfa_token, code: this.lastCode(OPS_PHONE) });
    const { access_token } = (await mfa.json()) as { access_token: string };
    return access_token;
  }

  /** A tenant user's access token through the API (with the texted code when asked). */
  async userToken(tenant: string, email: string, password: string, phone: string): Promise<string> {
    const login = await this.post('/api/v1/auth/login', { tenant, email, password });
    const body = (await login.json()) as { access_token?: string; mfa_token?: string };
    if (body.access_token) return body.access_token;
    const mfa = await this.post('/api/v1/auth/mfa', { mfa_token: body.mfa_token, code: this.lastCode(phone) });
    const { access_token } = (await mfa.json()) as { access_token: string };
    return access_token;
  }

  /** Creates a user with the built-in role `role`; returns the temporary password. */
  async createUser(adminToken: string, email: string, role: string): Promise<string> {
    const roles = await fetch(`${this.url}/api/v1/roles`, { headers: { authorization: `Bearer ${adminToken}` } });
    const { items } = (await roles.json()) as { items: { id: string; name: string }[] };
    const roleId = items.find((r) => r.name === role)?.id;
    const res = await this.post('/api/v1/users', { email, name: 'テスト ユーザー', role_ids: [roleId] }, adminToken);
    if (res.status !== 201) throw new Error(`create user: ${res.status} ${await res.text()}`);
    const { temporary_password } = (await res.json()) as { temporary_password: string };
    return temporary_password;
  }

  async publish(token: string, notice: unknown): Promise<{ id: string }> {
    const res = await this.post('/api/v1/ops/notices', notice, token);
    if (res.status !== 201) throw new Error(`publish: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  }
}
