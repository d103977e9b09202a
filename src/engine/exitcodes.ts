// Plain words for exit codes, so a failure line says what happened and not just a number.
import { constants } from 'node:os';

const KNOWN: Record<number, string> = {
  1: 'general error',
  2: 'misuse of a shell builtin or bad arguments',
  90: 'could not create a temporary folder on the host',
  124: 'timed out',
  126: 'command found but not executable (permissions?)',
  127: 'command not found (is the package installed? is PATH right?)',
  255: 'connection to the host failed or was lost',
};

/** "exit 127: command not found (…)" style meaning of an exit code. */
export function exitMeaning(code: number): string {
  if (KNOWN[code]) return KNOWN[code];
  if (code > 128 && code < 160) {
    const sig = Object.entries(constants.signals).find(([, n]) => n === code - 128)?.[0];
    return `killed by signal ${sig ?? code - 128}`;
  }
  return 'failed';
}
