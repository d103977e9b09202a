// One JSON line per event, to a log file (appended) or stdout.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { redact } from '../paas/common/security/redact';

/** A line logger; `close` releases the file. */
export interface JsonLog {
  write(fields: Record<string, unknown>): void;
  close(): Promise<void>;
}

/**
 * Opens a logger appending to `file`, or writing to stdout when no file is given. Lines are written
 * synchronously: the service logs a few lines per check, and a line is on disk before the answer leaves.
 */
export function openJsonLog(file?: string): JsonLog {
  // the platform's one redaction: no token or secret reaches the file, whatever a message quotes
  const line = (fields: Record<string, unknown>) =>
    `${redact(JSON.stringify({ time: new Date().toISOString(), ...fields }))}\n`;
  if (!file) {
    return { write: (fields) => process.stdout.write(line(fields)), close: async () => {} };
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o750 });
  const fd = openSync(file, 'a', 0o640);
  return {
    write: (fields) => writeSync(fd, line(fields)),
    close: async () => closeSync(fd),
  };
}
