// Runs the testbed command as a child process and collects its exit code and output.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

/** What a command run on a host (or the testbed command itself) returned. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Path of the testbed command. */
export const testbedBin = fileURLToPath(new URL('./testbed', import.meta.url));

/** Runs the testbed command with args for one instance; resolves with its exit code and output. */
export function runTestbed(instance: number, args: string[], timeoutMs = 300_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(testbedBin, args, {
      env: { ...process.env, BKCEC_TESTBED_INSTANCE: String(instance) },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code: code ?? 128 + (signal ? constants.signals[signal] : 0), stdout, stderr }),
    );
  });
}
