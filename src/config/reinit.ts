// `bkcec init --force` over an existing control directory: which secrets survive, and whether the
// directory drives a live platform whose hosts already hold its secrets.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnvFile } from './envfile';
import { InputError } from './issues';
import { loginPasswordProblem } from './rules';
import { generateSecrets } from './secrets';

export type Secrets = ReturnType<typeof generateSecrets>;
export type SecretName = keyof Secrets;

/** What a new value of each secret breaks on hosts that still hold the old one. */
export const SECRET_BREAKS: Record<SecretName, string> = {
  CONSUL_ENCRYPT: 'new or re-rendered hosts cannot join Consul (its members keep the old gossip key)',
  MYSQL_PASS: 'paas programs lose MySQL (the grants hold the old password)',
  REDIS_PASS: 'paas programs lose Redis (it requires the old password)',
  PAAS_ADMIN_PASS: 'globals.env no longer names the admin password the platform has',
  ESB_TOKEN: "the platform's own apps are refused by ESB (it knows the old token)",
  ESB_SECRET_KEY: 'every session and signed value of the paas projects becomes invalid',
};

/** A secret value worth keeping: set, writable back inside single quotes, and valid for its use. */
function keepable(name: SecretName, v: unknown): v is string {
  if (typeof v !== 'string' || v === '' || /['\n\r]/.test(v)) return false;
  if (name === 'CONSUL_ENCRYPT') return Buffer.from(v, 'base64').length === 32;
  if (name === 'PAAS_ADMIN_PASS') return loginPasswordProblem(v) === undefined;
  return true;
}

/** The secrets of DIR/globals.env that can be kept (none when it is missing). */
export async function presentSecrets(dir: string): Promise<Partial<Secrets>> {
  const file = join(dir, 'globals.env');
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  const vars = parseEnvFile(text, file).vars;
  const out: Partial<Secrets> = {};
  for (const name of Object.keys(SECRET_BREAKS) as SecretName[]) {
    const v = vars.get(name);
    if (keepable(name, v)) out[name] = v;
  }
  return out;
}

/** How many steps the journal records as done (a deployed platform has some); an unreadable journal counts as live. */
export async function journalSteps(dir: string): Promise<number> {
  const text = await readFile(join(dir, '.bkcec', 'journal.json'), 'utf8').catch((e) => {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  });
  if (text === undefined) return 0;
  try {
    return Object.keys((JSON.parse(text) as { steps?: object }).steps ?? {}).length;
  } catch {
    return 1;
  }
}

/**
 * The secrets a re-init writes: those present are kept unless `regenerate`; the missing ones are new.
 * On a live platform (the journal records deployed steps) any new secret is refused unless `regenerate`.
 */
export async function reinitSecrets(
  dir: string,
  regenerate: boolean,
): Promise<{ secrets: Secrets; kept: SecretName[] }> {
  const fresh = generateSecrets();
  if (regenerate) return { secrets: fresh, kept: [] };
  const present = await presentSecrets(dir);
  const kept = Object.keys(present) as SecretName[];
  const missing = (Object.keys(fresh) as SecretName[]).filter((n) => !(n in present));
  const steps = missing.length ? await journalSteps(dir) : 0;
  if (steps > 0) {
    const file = join(dir, 'globals.env');
    throw new InputError([
      {
        file,
        line: 1,
        col: 1,
        message:
          `expected every secret of the live platform (its journal records ${steps} deployed steps) to be kept, ` +
          `found ${missing.join(', ')} missing or invalid, so init would make new ones: ` +
          `${missing.map((n) => `${n}: ${SECRET_BREAKS[n]}`).join('; ')}. ` +
          'Restore globals.env from a backup (bkcec restore puts back the values its database is bound to), change one secret on every host with bkcec rotate NAME, or pass --force --regenerate-secrets to replace every secret anyway',
      },
    ]);
  }
  return { secrets: { ...fresh, ...present }, kept };
}
