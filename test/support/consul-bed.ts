// Test helpers around the testbed and the bkcec command, all asynchronous (a test may serve DNS
// from its own process while they run).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Testbed } from '../../tools/testbed/lib';
import { testbedBin } from '../../tools/testbed/run';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program; never throws on a non-zero exit (callers assert on `code`); killed after 5 min. */
export function runProgram(
  cmd: string,
  args: string[],
  stdin = '',
  env: NodeJS.ProcessEnv = {},
): Promise<Ran> {
  return new Promise((ok, fail) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), 300_000);
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', fail);
    p.on('close', (code) => {
      clearTimeout(timer);
      ok({ code: code ?? 255, stdout, stderr });
    });
    p.stdin.end(stdin);
  });
}

/** Runs a bash script on host i of testbed `tb` (the script travels on stdin). */
export const onHost = (tb: Testbed, i: number, script: string): Promise<Ran> =>
  runProgram(testbedBin, ['ssh', String(i), 'bash', '-s'], script, {
    BKCEC_TESTBED_INSTANCE: String(tb.instance),
  });

/** `bkcec ARGS…` as a separate process, the way an operator runs it. */
export const bkcec = (...args: string[]): Promise<Ran> =>
  runProgram(process.execPath, [join(REPO, 'bin', 'bkcec.mjs'), ...args]);

/** Polls `check` until it returns true or `ms` pass; returns the milliseconds it took. */
export async function within(ms: number, what: string, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`expected ${what} within ${ms} ms, it did not happen`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
