// What tools/testbed/lib.ts does not offer a test: host commands with secrets on stdin (never in an
// argument list), and the bkcec command line with its JSON events, timed.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineEvent } from '../../src/engine/events';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const TESTBED = join(REPO, 'tools', 'testbed', 'testbed');

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function run(
  cmd: string,
  args: string[],
  input?: string,
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 600_000,
): Ran {
  const r = spawnSync(cmd, args, {
    input,
    encoding: 'utf8',
    timeout: timeoutMs,
    cwd: REPO,
    maxBuffer: 64 << 20,
    env: { ...process.env, ...env },
  });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  return { code: r.status ?? 255, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `script` with bash on host `i` of testbed `instance`; `input` is readable there as $BK_IN. */
export const onHost = (instance: number, i: number, script: string, input?: string): Ran =>
  run(
    TESTBED,
    ['ssh', String(i), 'bash -s'],
    `${input !== undefined ? `read -r BK_IN <<'BKIN'\n${input}\nBKIN\n` : ''}${script}`,
    { BKCEC_TESTBED_INSTANCE: String(instance) },
  );

/** Like onHost, but throws unless the script exits 0; returns its stdout. */
export function onHostOk(instance: number, i: number, script: string, input?: string): string {
  const r = onHost(instance, i, script, input);
  if (r.code !== 0)
    throw new Error(`host ${i}: expected exit 0, found ${r.code}\n${script}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

export interface BkcecRun {
  code: number;
  ms: number;
  events: EngineEvent[];
  /** `command:step` of every step that reported a change, with its host. */
  changed: string[];
  stderr: string;
}

/** `bkcec -C dir --json ARGS…`, timed. */
export function bkcec(dir: string, ...args: string[]): BkcecRun {
  const started = Date.now();
  const r = run(process.execPath, [join(REPO, 'bin', 'bkcec.mjs'), '-C', dir, '--json', ...args]);
  const events = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as EngineEvent);
  const changed = events.flatMap((e) =>
    e.type === 'step' && e.outcome === 'changed' ? [`${e.host} ${e.command}:${e.step}`] : [],
  );
  return { code: r.code, ms: Date.now() - started, events, changed, stderr: r.stderr };
}

/** A value of globals.env (single-quoted or bare). */
export function globalValue(dir: string, name: string): string {
  const m = new RegExp(`^export ${name}=(?:'([^']*)'|(\\S*))`, 'm').exec(
    readFileSync(join(dir, 'globals.env'), 'utf8'),
  );
  if (!m) throw new Error(`${dir}/globals.env: expected export ${name}=…, found none`);
  return m[1] ?? m[2] ?? '';
}
