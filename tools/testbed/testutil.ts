// Test helper: runs a bash command on the machine (the controller) synchronously, from the repo root.
import { spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { RunResult } from './run';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Runs cmd with bash in the repo root (BKCEC_TESTBED_INSTANCE set when given); never throws on exit codes. */
export function sh(cmd: string, instance?: number): RunResult {
  const env =
    instance === undefined ? process.env : { ...process.env, BKCEC_TESTBED_INSTANCE: String(instance) };
  const r = spawnSync('bash', ['-c', cmd], { cwd: repoRoot, env, encoding: 'utf8', timeout: 120_000 });
  // Like a shell: a command ended by a signal reports 128 + the signal's number.
  const code = r.status ?? 128 + (r.signal ? constants.signals[r.signal] : 0);
  return { code, stdout: r.stdout, stderr: r.stderr };
}
