// The full run log in the control directory (append, root-only).
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Opens `<control dir>/logs/bkcec.log` and returns its path and a line writer. */
export function openRunLog(controlDir: string): { path: string; write: (line: string) => void } {
  const dir = join(controlDir, 'logs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, 'bkcec.log');
  return { path, write: (line) => appendFileSync(path, `${line}\n`, { mode: 0o600 }) };
}
