// `initdata paas` (once, from the first paas host; every step safe to re-run): the schema, the
// admin user, the ESB catalog and docs, and the platform apps' ESB accounts and whitelist entries.
import { join } from 'node:path';
import { treeFingerprint } from '../../engine/fingerprint';
import type { HostContext, RunContext, Step } from '../../engine/types';
import { prepareDbIdentity } from './dbident';
import { paasPaths } from './paths';
import { nodeBin } from './runtime';
import { ensureAppTokens, PLATFORM_APP_CODES } from './tokens';

type Vars = Readonly<Record<string, string>>;

/** What initdata's steps need from the controller. */
export interface InitdataFacts {
  /** The platform apps' tokens, by app code. */
  tokens: Map<string, string>;
  /** The database's identity (see dbident.ts). */
  database: string;
}

/** Controller side: the app tokens, made once into `.app.token` and never remade; the database's identity. */
export async function prepareTokens(ctx: RunContext): Promise<InitdataFacts> {
  return {
    tokens: await ensureAppTokens(ctx.controlDir, PLATFORM_APP_CODES),
    database: await prepareDbIdentity(ctx),
  };
}

/** Shell that runs `manage <args>`, feeding it `$<stdinVar>` (unset first, so no child sees it in its environment). */
function manage(v: Vars, args: string, stdinVar?: string): string {
  const p = paasPaths(v);
  const cmd = `${nodeBin(v)} ${p.manage} ${args} --config ${p.conf}`;
  if (!stdinVar) return `${cmd} < /dev/null`;
  return `{ bk_in=$${stdinVar}; unset ${stdinVar}; printf '%s\\n' "$bk_in" | ${cmd}; }`;
}

/** A step running one manage command; it reports a change when the output matches `changed`. */
function manageStep(
  id: string,
  title: string,
  run: string,
  changed: RegExp,
  inputs: unknown,
  env?: Record<string, string>,
): Step {
  return {
    id,
    title,
    env,
    inputs,
    script: `if ! out=$(${run} 2>&1); then echo "$out" >&2; exit 1; fi
printf '%s\\n' "$out"
if grep -Eq ${`'${changed.source}'`} <<< "$out"; then bk_changed; fi`,
  };
}

/** The steps of `initdata paas`; they run again whenever the shipped manage.mjs changed. */
export async function initdataSteps(h: HostContext, facts?: InitdataFacts): Promise<Step[]> {
  const v = h.vars;
  const manageJs = await treeFingerprint(join(h.run.pkgDir, 'open_paas', 'manage.mjs')).catch(() => 'absent');
  // The database's own identity too: a wiped or rebuilt database runs these steps again.
  const database = facts?.database;
  const pkg = { manage: manageJs, database: database ?? 'unknown until apply' };
  const tokens = facts?.tokens;
  const steps: Step[] = [
    {
      // A service answers in Consul DNS only once its first health check passed, which can come a few
      // seconds after its module started: wait for the names the programs connect to. One try per
      // server, 1 s each: while the local agent reloads, the resolver's default (5 s × 2 per server) stalls.
      id: 'wait-services',
      title: 'mysql and redis resolve through consul',
      inputs: manageJs,
      script: `for name in ${v.MYSQL_HOST} ${v.REDIS_HOST}; do
  for i in $(seq 600); do RES_OPTIONS="timeout:1 attempts:1" getent ahostsv4 "$name" >/dev/null && continue 2; sleep 0.1; done
  echo "$name does not resolve after 60 s: is its service passing in consul? (bkcec status consul)" >&2; exit 1
done`,
    },
    manageStep('migrate', 'database open_paas: schema migrations', manage(v, 'migrate'), /^applied:/, pkg),
    manageStep(
      'admin',
      `superuser ${v.PAAS_ADMIN_USER}`,
      manage(v, 'create-admin --password-stdin', 'BK_ADMIN_PASS'),
      / created$/,
      pkg,
      { BK_ADMIN_PASS: v.PAAS_ADMIN_PASS ?? '' },
    ),
    manageStep(
      'esb-sync',
      'ESB systems, channels, docs, default whitelist',
      manage(v, 'esb-sync'),
      /[1-9][0-9]* (created|updated|rendered)|whitelist: added/,
      pkg,
    ),
  ];
  if (!tokens) {
    steps.push({ id: 'app-accounts', title: 'platform app accounts and whitelist', dynamic: true });
    return steps;
  }
  const env: Record<string, string> = {};
  const runs = [...tokens.keys()].map((code, i) => {
    env[`BK_APP_TOKEN_${i}`] = tokens.get(code)!;
    return manage(v, `add-app-account ${code} --skip-user-auth`, `BK_APP_TOKEN_${i}`);
  });
  steps.push(
    manageStep(
      'app-accounts',
      `platform app accounts and whitelist: ${[...tokens.keys()].join(', ')}`,
      runs.join(' && '),
      / created/,
      pkg,
      env,
    ),
  );
  // Without the database's identity (dry runs) whether they run cannot be known.
  return database ? steps : steps.map((x) => (x.id === 'wait-services' ? x : { ...x, dynamic: true }));
}
