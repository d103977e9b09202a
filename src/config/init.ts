// `bkcec init`: creates a control directory that loadControlDir accepts as it is.
import { randomBytes } from 'node:crypto';
import { chmod, lstat, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseInstallConfig } from '../inventory/parse';
import { CONTROL_FILES } from './control';
import { primaryIpv4 } from './hostip';
import { InputError, type Issue } from './issues';
import { makePrivateDir } from './privdir';
import { reinitSecrets, type SecretName } from './reinit';
import { generateSecrets } from './secrets';
import { globalsText, installConfigText, portsText } from './templates';

export interface InitOptions {
  /** `IP=mod,mod IP=mod(proj),…`; default: this machine runs BASE_MODULES. */
  layout?: string;
  /** Overwrite existing control files (secrets already in globals.env are kept). */
  force?: boolean;
  /** With force: new values for every secret, even on a live platform. */
  regenerateSecrets?: boolean;
}

/**
 * The modules of the default single-host layout: the whole platform and the test-environment app
 * agent, so the developer center's deploy button works (an app goes to test before production; appo
 * and appt cannot share a host, so production apps need a second host with appo).
 */
export const BASE_MODULES = 'consul,license,mysql,redis,nginx,paas,appt';

/** Turns a --layout string into install.config host lines; issues point at columns of the string. */
export function layoutHostLines(layout: string, file = '--layout'): string[] {
  const issues: Issue[] = [];
  const entries: { text: string; offset: number }[] = [];
  for (const m of layout.matchAll(/\S+/g)) {
    const eq = m[0].indexOf('=');
    if (eq < 0)
      issues.push({ file, line: 1, col: m.index + 1, message: `expected IP=module,module, found '${m[0]}'` });
    else entries.push({ text: `${m[0].slice(0, eq)} ${m[0].slice(eq + 1)}`, offset: m.index });
  }
  if (issues.length === 0) {
    // Line 1 is the header, so entry k is line k + 2; `=` became a space, so columns line up.
    const parsed = parseInstallConfig(['[layout]', ...entries.map((e) => e.text)].join('\n'), file);
    for (const i of parsed.issues)
      issues.push({ ...i, line: 1, col: (entries[i.line - 2]?.offset ?? 0) + i.col });
  }
  if (issues.length) throw new InputError(issues);
  return entries.map((e) => e.text);
}

/** Writes `text` to `path` through a temporary file created with `mode`, so no reader sees a looser mode. */
async function writeAtomic(path: string, text: string, mode: number): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, text, { mode, flag: 'wx' });
  await chmod(tmp, mode);
  await rename(tmp, path);
}

/**
 * Creates DIR (mode 0700 when new, parents it creates 0755) with install.config, globals.env (0600) and
 * ports.env. Secrets are fresh, except that a forced re-init keeps those globals.env already holds
 * (and refuses to make new ones for a live platform) unless regenerateSecrets. Returns the kept names.
 */
export async function initControlDir(dir: string, opts: InitOptions = {}): Promise<SecretName[]> {
  const root = resolve(dir);
  const hostLines =
    opts.layout !== undefined ? layoutHostLines(opts.layout) : [`${await primaryIpv4()} ${BASE_MODULES}`];
  const exists = await lstat(root).then(
    () => true,
    () => false,
  );
  if (!opts.force) {
    for (const f of CONTROL_FILES) {
      const path = join(root, f);
      if (
        await lstat(path).then(
          () => true,
          () => false,
        )
      ) {
        throw new InputError([
          {
            file: path,
            line: 1,
            col: 1,
            message: `expected no ${f} yet (pass --force to overwrite it), found one`,
          },
        ]);
      }
    }
  }
  const { secrets, kept } = exists
    ? await reinitSecrets(root, opts.regenerateSecrets === true)
    : { secrets: generateSecrets(), kept: [] };
  if (!exists) makePrivateDir(root);
  await writeAtomic(join(root, 'install.config'), installConfigText(hostLines), 0o644);
  await writeAtomic(join(root, 'globals.env'), globalsText(secrets), 0o600);
  await writeAtomic(join(root, 'ports.env'), portsText(), 0o644);
  return kept;
}
