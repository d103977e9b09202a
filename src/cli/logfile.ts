// The full run log in the control directory (append, root-only).
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePrivateDir } from '../config/privdir';

/** Opens `<control dir>/logs/bkcec.log` and returns its path and a line writer. */
export function openRunLog(controlDir: string): { path: string; write: (line: string) => void } {
  const dir = join(controlDir, 'logs');
  makePrivateDir(dir);
  const path = join(dir, 'bkcec.log');
  return { path, write: (line) => appendFileSync(path, `${line}\n`, { mode: 0o600 }) };
}
