import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

/**
 * A throw-away Dovecot for integration tests: its own config, runtime dir, log and maildir in a
 * temp folder, listening on 127.0.0.1 only, one test user with a plain-text password.
 * Started with `-F` so the process is ours to stop, restart or kill.
 */
export const DOVECOT_BIN = '/usr/sbin/dovecot';

/** Why the IMAP tests are skipped, or null when they run. In CI a missing Dovecot is a failure, not a skip. */
export function dovecotSkipReason(): string | null {
  if (existsSync(DOVECOT_BIN)) return null;
  if (process.env.CI)
    throw new Error(`${DOVECOT_BIN} is missing; CI must install the Debian package dovecot-imapd`);
  return `skipping IMAP tests: ${DOVECOT_BIN} not found (apt-get install dovecot-imapd)`;
}

export interface DovecotOptions {
  /** Advertise IDLE (default true). False imitates 163.com, which makes clients poll. */
  idle?: boolean;
  /** Also listen with implicit TLS on a second port, using a self-signed certificate (default false). */
  tls?: boolean;
  user?: string;
  password?: string;
}

export interface Dovecot {
  readonly host: '127.0.0.1';
  /** Plain IMAP port (STARTTLS offered when tls was requested). */
  readonly port: number;
  /** Implicit TLS port, or null without tls. */
  readonly tlsPort: number | null;
  readonly user: string;
  readonly password: string;
  readonly dir: string;
  /** Everything Dovecot logged so far (includes `ID sent:` lines from imap_id_log). */
  log(): string;
  /** A connected client for arranging and inspecting the mailbox; caller logs out. */
  client(): Promise<ImapFlow>;
  /** APPEND raw messages (Buffers or .eml paths) to a mailbox, creating it when missing. Returns the UIDs. */
  append(mailbox: string, messages: readonly (Buffer | string)[], date?: Date): Promise<number[]>;
  /** UID → flags of every message in a mailbox ([] when the mailbox does not exist). */
  flags(mailbox: string): Promise<Map<number, Set<string>>>;
  /**
   * Wipe a mailbox behind Dovecot's back, as a provider restoring or rebuilding it would: stop,
   * delete its maildir folder and the mailbox list index, start. Recreating it (append) then gives
   * a new UIDVALIDITY and messages without our keywords.
   */
  wipeMailbox(mailbox: string): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Stop and delete the temp folder. */
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((res) => {
      const s = new Socket();
      s.once('connect', () => {
        s.destroy();
        res(true);
      });
      s.once('error', () => res(false));
      s.connect(port, '127.0.0.1');
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`dovecot did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/**
 * Mail processes must not run as root. As root we use the Debian `mail` user (uid 8, made by
 * base-passwd) and lower first_valid_uid to it; as a normal user, Dovecot runs everything as us.
 */
function mailOwner(): { uid: number; gid: number; asRoot: boolean } {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  if (uid !== 0) return { uid, gid, asRoot: false };
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('mail:'));
  const parts = line?.split(':') ?? [];
  return { uid: Number(parts[2] ?? 8), gid: Number(parts[3] ?? 8), asRoot: true };
}

function userExists(name: string): boolean {
  return readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .some((l) => l.startsWith(`${name}:`));
}

function renderConfig(o: {
  dir: string;
  port: number;
  tlsPort: number | null;
  idle: boolean;
  owner: { uid: number; gid: number; asRoot: boolean };
}): string {
  const { dir, port, tlsPort, idle, owner } = o;
  const loginUser = owner.asRoot && userExists('dovenull') ? 'dovenull' : (process.env.USER ?? 'root');
  const internalUser = owner.asRoot && userExists('dovecot') ? 'dovecot' : (process.env.USER ?? 'root');
  // Without IDLE, like 163.com: the capability list a client sees after login.
  const caps =
    'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ UIDPLUS MOVE NAMESPACE UNSELECT CHILDREN';
  return `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
shutdown_clients = yes
default_login_user = ${loginUser}
default_internal_user = ${internalUser}
first_valid_uid = ${Math.min(owner.uid, 500)}
first_valid_gid = ${Math.min(owner.gid, 500)}
mail_uid = ${owner.uid}
mail_gid = ${owner.gid}
mail_location = maildir:${dir}/mail/%u/Maildir
disable_plaintext_auth = no
auth_mechanisms = plain login
imap_id_log = *
${tlsPort !== null ? `ssl = yes\nssl_cert = <${dir}/tls/cert.pem\nssl_key = <${dir}/tls/key.pem` : 'ssl = no'}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${owner.uid} gid=${owner.gid} home=${dir}/mail/%u
}
namespace inbox {
  inbox = yes
  separator = /
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${tlsPort ?? 0}
    ssl = yes
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
${idle ? '' : `protocol imap {\n  imap_capability = ${caps}\n}`}
`;
}

export async function startDovecot(options: DovecotOptions = {}): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'ballot-dovecot-'));
  const user = options.user ?? 'ballot@example.test';
  const password = options.password ?? 'test-secret-Xq7';
  const owner = mailOwner();
  const port = await freePort();
  const tlsPort = options.tls ? await freePort() : null;
  for (const sub of ['run', 'state', 'mail', 'tls']) mkdirSync(join(dir, sub));
  if (owner.asRoot) {
    // Dovecot's processes read the config and write mail as other users.
    chmodSync(dir, 0o755);
    chownSync(join(dir, 'mail'), owner.uid, owner.gid);
  }
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${password}\n`, { mode: 0o644 });
  if (tlsPort !== null) {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost'].concat([
        '-keyout',
        join(dir, 'tls/key.pem'),
        '-out',
        join(dir, 'tls/cert.pem'),
      ]),
      { stdio: 'ignore' },
    );
  }
  const configPath = join(dir, 'dovecot.conf');
  writeFileSync(configPath, renderConfig({ dir, port, tlsPort, idle: options.idle ?? true, owner }));

  let proc: ChildProcess | null = null;
  let stderr = '';

  const start = async (): Promise<void> => {
    stderr = '';
    // Own process group, so stop() can take the imap/log children down with the master.
    const child = spawn(DOVECOT_BIN, ['-F', '-c', configPath], {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    proc = child;
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) =>
        reject(new Error(`dovecot exited (${code}): ${stderr}\n${safeRead(join(dir, 'dovecot.log'))}`)),
      ),
    );
    exited.catch(() => undefined);
    await Promise.race([waitForPort(port, 10_000), exited]);
    if (tlsPort !== null) await Promise.race([waitForPort(tlsPort, 10_000), exited]);
  };

  const stop = async (): Promise<void> => {
    const child = proc;
    proc = null;
    if (!child?.pid) return;
    const pgid = child.pid;
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise<void>((res) => child.once('exit', () => res()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    }
    // Dovecot's master leaves running imap sessions behind for a moment; a real restart ends them.
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // The group is already empty.
    }
  };

  const client = async (): Promise<ImapFlow> => {
    const c = new ImapFlow({
      host: '127.0.0.1',
      port,
      secure: false,
      doSTARTTLS: false,
      auth: { user, pass: password },
      logger: false,
      disableAutoIdle: true,
    });
    c.on('error', () => undefined);
    await c.connect();
    return c;
  };

  const append = async (mailbox: string, messages: readonly (Buffer | string)[], date?: Date) => {
    const c = await client();
    try {
      const exists = (await c.list()).some((m) => m.path === mailbox);
      if (!exists) await c.mailboxCreate(mailbox);
      const uids: number[] = [];
      for (const m of messages) {
        const raw = typeof m === 'string' ? readFileSync(m) : m;
        const res = await c.append(mailbox, raw, [], date);
        if (!res || res.uid === undefined) throw new Error(`APPEND to ${mailbox} failed`);
        uids.push(res.uid);
      }
      return uids;
    } finally {
      await c.logout().catch(() => undefined);
    }
  };

  const flags = async (mailbox: string) => {
    const c = await client();
    const out = new Map<number, Set<string>>();
    try {
      if (!(await c.list()).some((m) => m.path === mailbox)) return out;
      await c.mailboxOpen(mailbox, { readOnly: true });
      for await (const msg of c.fetch('1:*', { uid: true, flags: true })) {
        out.set(msg.uid, msg.flags ?? new Set());
      }
      return out;
    } finally {
      await c.logout().catch(() => undefined);
    }
  };

  const wipeMailbox = async (mailbox: string) => {
    await stop();
    const maildir = join(dir, 'mail', user, 'Maildir');
    rmSync(join(maildir, `.${encodeMailboxName(mailbox).replaceAll('/', '.')}`), {
      recursive: true,
      force: true,
    });
    for (const f of readdirSync(maildir)) if (f.startsWith('dovecot.list.index')) rmSync(join(maildir, f));
    await start();
  };

  await start();
  return {
    host: '127.0.0.1',
    port,
    tlsPort,
    user,
    password,
    dir,
    log: () => safeRead(join(dir, 'dovecot.log')),
    client,
    append,
    flags,
    wipeMailbox,
    stop,
    start,
    restart: async () => {
      await stop();
      await start();
    },
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** IMAP modified UTF-7 (RFC 3501 5.1.3), which Dovecot's maildir++ uses for folder names on disk. */
function encodeMailboxName(name: string): string {
  return name.replace(/&/g, '&-').replace(/[^\x20-\x7e]+/g, (run) => {
    const utf16 = Buffer.alloc(run.length * 2);
    for (let i = 0; i < run.length; i++) utf16.writeUInt16BE(run.charCodeAt(i), i * 2);
    return `&${utf16.toString('base64').replace(/=+$/, '').replace(/\//g, ',')}-`;
  });
}
