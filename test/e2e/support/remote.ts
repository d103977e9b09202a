// A bash script run on a testbed host with the script (and any secret in it) on ssh's stdin,
// never on a command line.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './testbed';

/** stdout of `script` run by bash on host `i`; rejects with stderr on a non-zero exit. */
export function remote(i: number, script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(REPO, 'tools', 'testbed', 'testbed'), ['ssh', String(i), 'bash -s'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      err += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`host ${i}: script exited ${code}: ${err.trim() || out.trim()}`));
    });
    child.stdin.end(`set -euo pipefail\n${script}\n`);
  });
}
