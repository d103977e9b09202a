// Loads and validates a control directory: install.config, globals.env, ports.env, all issues at once.
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { parseInstallConfig } from '../inventory/parse';
import { checkGlobals, checkPorts } from './checks';
import { type ParsedEnv, parseEnvFile } from './envfile';
import { checkHttps } from './https';
import { InputError, type Issue, sortIssues } from './issues';
import { portProblem, unixUserProblem } from './rules';
import type { ControlConfig, SshSettings } from './types';

/** The three files of a control directory. */
export const CONTROL_FILES = ['install.config', 'globals.env', 'ports.env'] as const;

/** Reads a file, or records an issue naming it and returns undefined. */
async function readOrIssue(file: string, issues: Issue[]): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const found =
      code === 'ENOENT' ? 'no such file (run bkcec init to create one)' : `an unreadable file (${code})`;
    issues.push({ file, line: 1, col: 1, message: `expected a readable ${file}, found ${found}` });
    return undefined;
  }
}

/** Reads and validates DIR's control files; throws one InputError listing every issue of every file. */
export async function loadControlDir(dir: string): Promise<ControlConfig> {
  const root = resolve(dir);
  const [configFile, globalsFile, portsFile] = CONTROL_FILES.map((f) => join(root, f)) as [
    string,
    string,
    string,
  ];
  const issues: Issue[] = [];
  // Read in parallel, but record missing files in their fixed order (sortIssues keeps first-seen order).
  const perFile: Issue[][] = [[], [], []];
  const [configText, globalsText, portsText] = await Promise.all(
    [configFile, globalsFile, portsFile].map((f, i) => readOrIssue(f, perFile[i]!)),
  );
  issues.push(...perFile.flat());
  const parsed = parseInstallConfig(configText ?? '', configFile);
  if (configText !== undefined) issues.push(...parsed.issues);
  const globals = parseEnvFile(globalsText ?? '', globalsFile);
  const ports = parseEnvFile(portsText ?? '', portsFile, globals.vars);
  if (globalsText !== undefined) issues.push(...globals.issues, ...checkGlobals(globals, globalsFile));
  if (portsText !== undefined)
    issues.push(...ports.issues, ...checkPorts(ports, portsFile, parsed.inventory));
  const ssh = globalsText === undefined ? undefined : await sshSettings(globals, globalsFile, root, issues);
  if (globalsText !== undefined && portsText !== undefined && !issues.length)
    issues.push(...(await checkHttps(globals, globalsFile, ports, portsFile, root)));
  if (issues.length || !ssh) throw new InputError(sortIssues(issues));
  return { dir: root, inventory: parsed.inventory, globals: globals.vars, ports: ports.vars, ssh };
}

/** BK_SSH_USER (root), BK_SSH_PORT (22), BK_SSH_KEY (must be a file), BK_SSH_KNOWN_HOSTS. */
async function sshSettings(
  env: ParsedEnv,
  file: string,
  root: string,
  issues: Issue[],
): Promise<SshSettings> {
  const at = (name: string, message: string) => {
    const w = env.where.get(name);
    issues.push({ file, line: w?.line ?? 1, col: w?.valueCol ?? 1, message: `${name}: ${message}` });
  };
  const scalar = (name: string): string | undefined => {
    const v = env.vars.get(name);
    if (Array.isArray(v)) at(name, 'expected a single value, found an array');
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const user = scalar('BK_SSH_USER') ?? 'root';
  const userProblem = unixUserProblem(user);
  if (userProblem) at('BK_SSH_USER', userProblem);
  const port = scalar('BK_SSH_PORT') ?? '22';
  const portIssue = portProblem(port);
  if (portIssue) at('BK_SSH_PORT', portIssue);
  const ssh: SshSettings = { user, port: Number(port) };
  const key = scalar('BK_SSH_KEY');
  if (key) {
    ssh.keyPath = isAbsolute(key) ? key : join(root, key);
    const isFile = await stat(ssh.keyPath).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!isFile) at('BK_SSH_KEY', `expected a private key file, found nothing at ${ssh.keyPath}`);
  }
  const known = scalar('BK_SSH_KNOWN_HOSTS');
  if (known) ssh.knownHostsPath = isAbsolute(known) ? known : join(root, known);
  return ssh;
}
