// Feeds a started command its stdin, gathers its output as text and enforces its timeout,
// the same way for every transport.

import { constants } from 'node:os';
import { Readable, type Writable } from 'node:stream';
import type { ExecOptions, ExecResult } from './transport';

/** A started command as a transport sees it. */
export interface CommandIo {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  /** Settles once the command ended and its output streams closed. */
  finished: Promise<{ code: number | null; signal?: string }>;
  /** Kills the command and everything it started (its process group). */
  kill(): void;
}

/** How long to wait for the streams to close after a kill before giving up on them. */
const KILL_GRACE_MS = 2000;

/** Runs `io` to its end (or its timeout, exit code 124) and returns what it printed. */
export async function gather(io: CommandIo, opts: ExecOptions = {}): Promise<ExecResult> {
  let stdout = '';
  let stderr = '';
  io.stdout.setEncoding('utf8');
  io.stderr.setEncoding('utf8');
  io.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    opts.onStdout?.(chunk);
  });
  io.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  let inputError: unknown;
  io.stdin.on('error', () => {}); // EPIPE when the command exits before reading all input
  const input = opts.stdin;
  if (input instanceof Readable) {
    input.on('error', (err) => {
      inputError = err;
      io.kill();
    });
    input.pipe(io.stdin);
  } else {
    io.stdin.end(input ?? '');
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    if (opts.timeoutMs !== undefined) timer = setTimeout(() => resolve('timeout'), opts.timeoutMs);
  });
  const first = await Promise.race([io.finished, timedOut]);
  clearTimeout(timer);
  if (first === 'timeout') {
    io.kill();
    await Promise.race([io.finished, new Promise((r) => setTimeout(r, KILL_GRACE_MS))]);
    return { code: 124, stdout, stderr: `${stderr}bkcec: timed out after ${opts.timeoutMs} ms, killed\n` };
  }
  if (inputError) throw inputError;
  if (first.code !== null) return { code: first.code, stdout, stderr };
  if (first.signal) return { code: 128 + signalNumber(first.signal), signal: first.signal, stdout, stderr };
  return { code: 255, stdout, stderr: `${stderr}bkcec: the command ended without an exit status\n` };
}

function signalNumber(name: string): number {
  return (constants.signals as Record<string, number>)[name] ?? 0;
}
