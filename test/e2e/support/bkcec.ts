// bkcec from the TypeScript sources with --json against a control and a package directory.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { EngineEvent } from '../../../src/engine/events';
import { parseEvents } from '../../support/events';
import { REPO } from './testbed';

/** Runs `bkcec -C ctrl --pkg pkg --json ARGS…`; resolves with its events, exit code and stderr. */
export function bkcec(
  ctrl: string,
  pkg: string,
  args: string[],
): Promise<{ events: EngineEvent[]; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const cli = join(REPO, 'test', 'e2e', 'support', 'cli.ts');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', cli, '-C', ctrl, '--pkg', pkg, '--json', ...args],
      {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.on('exit', (code) => resolve({ events: parseEvents(out), code, stderr }));
  });
}
