// The testbed command (tools/testbed/testbed) from tests: hosts up/down, control dirs, faults, ssh.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** The repository root. */
export const REPO = join(import.meta.dirname, '..', '..', '..');
const TESTBED = join(REPO, 'tools', 'testbed', 'testbed');

/** Runs `testbed ARGS…`; throws with its stderr when it fails. */
export async function testbed(...args: string[]): Promise<string> {
  try {
    return (await run(TESTBED, args, { timeout: 180_000, maxBuffer: 16 << 20 })).stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`testbed ${args.join(' ')} failed: ${e.stderr?.trim() || e.message}`);
  }
}

/** The testbed's subnet: 10.77.K.0/24 for BKCEC_TESTBED_INSTANCE=K (default 0). */
export const NET = `10.77.${Number(process.env.BKCEC_TESTBED_INSTANCE ?? '0')}`;

/** The IP of testbed host `i` (1-based). */
export const hostIp = (i: number): string => `${NET}.${10 + i}`;

/** Runs a shell command on host `i` over ssh; resolves with stdout (throws on a non-zero exit). */
export const onHost = (i: number, command: string): Promise<string> => testbed('ssh', String(i), command);
