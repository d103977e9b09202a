import { createHash } from 'node:crypto';
import type { AgentConfig } from '../config';
import { run } from '../jobs/exec';

/** The Unix user an app builds and runs as. */
export interface AppUser {
  name: string;
  uid: number;
  gid: number;
}

const SYS = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' };
const never = () => new AbortController().signal;

/** `<prefix><code>`, or a hashed form when that exceeds the 32 characters useradd allows. */
export function appUserName(cfg: Pick<AgentConfig, 'userPrefix' | 'mode'>, code: string): string {
  const prefix = cfg.userPrefix ?? (cfg.mode === 'test' ? 'bkt-' : 'bko-');
  const full = `${prefix}${code}`;
  if (full.length <= 32) return full;
  const h = createHash('sha256').update(code).digest('hex').slice(0, 8);
  return `${prefix}${code.slice(0, 31 - prefix.length - h.length)}-${h}`;
}

async function lookup(name: string): Promise<AppUser | undefined> {
  const out = await run('getent', ['passwd', name], { env: SYS, signal: never() }).catch(() => '');
  const f = out.trim().split(':');
  if (f.length < 7) return undefined;
  return { name, uid: Number(f[2]), gid: Number(f[3]) };
}

let chain: Promise<unknown> = Promise.resolve();
/** One user-database change at a time (useradd locks /etc/passwd; parallel jobs would collide). */
function serial<T>(f: () => Promise<T>): Promise<T> {
  const next = chain.then(f);
  chain = next.catch(() => undefined);
  return next;
}

/**
 * The app's user (and its group of the same name), made on first deploy: a system account with
 * no login shell, home `home`, never uid 0. The agent refuses a name that exists as a non-system
 * (login) account, so an app can never be run as a person's user.
 */
export function ensureAppUser(cfg: AgentConfig, code: string, home: string): Promise<AppUser> {
  const name = appUserName(cfg, code);
  return serial(async () => {
    let u = await lookup(name);
    if (!u) {
      await run(
        'useradd',
        [
          '--system',
          '--user-group',
          '--no-create-home',
          '--home-dir',
          home,
          '--shell',
          '/usr/sbin/nologin',
          name,
        ],
        { env: SYS, signal: never() },
      );
      u = await lookup(name);
    }
    return checked(u, name, code);
  });
}

/** An app's user must be a system account other than root: never a person's login account. */
function checked(u: AppUser | undefined, name: string, code: string): AppUser {
  if (!u) throw new Error(`app ${code} has no user ${name} on this host (not deployed here)`);
  if (u.uid === 0 || u.gid === 0) throw new Error(`expected a non-root user ${name} for app ${code}`);
  if (u.uid >= 1000 && u.uid < 60000)
    throw new Error(
      `user ${name} exists as a login account (uid ${u.uid}); refusing to run app ${code} as it`,
    );
  return u;
}

/** The user of an app already deployed here (never made by this call). */
export async function appUser(cfg: AgentConfig, code: string): Promise<AppUser> {
  const name = appUserName(cfg, code);
  return checked(await lookup(name), name, code);
}

/** Remove the app's user and group (after its processes stopped and its files were removed). */
export function removeAppUser(cfg: AgentConfig, code: string): Promise<void> {
  const name = appUserName(cfg, code);
  return serial(async () => {
    const u = await lookup(name);
    if (!u) return;
    checked(u, name, code); // never a login account or root
    await run('userdel', [name], { env: SYS, signal: never() });
  });
}
