// The one seam between the controller and a host. Implementations: local (this machine) and ssh.

import type { Readable } from 'node:stream';

/** What a finished remote command gave back. */
export interface ExecResult {
  /** Exit code; 255 when the connection itself failed, 124 on timeout. */
  code: number;
  /** Signal name when the command was killed by one. */
  signal?: string;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Kill the command after this many milliseconds (exit code 124). */
  timeoutMs?: number;
  /** Called with each stdout chunk as it arrives (progress parsing). */
  onStdout?: (chunk: string) => void;
}

export interface ExecOptions extends RunOptions {
  /** Bytes written to the command's stdin, then stdin is closed; a stream is piped (large tar uploads). */
  stdin?: Buffer | string | Readable;
}

export interface Transport {
  /** The host address this transport reaches (an IP from install.config). */
  readonly host: string;
  /** Runs a bash script. The script travels on stdin, never on a command line or in a process list. */
  run(script: string, opts?: RunOptions): Promise<ExecResult>;
  /** Runs one command line (no secrets in it) with optional stdin data, e.g. `tar -x -C dir`. */
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Writes a file atomically (temp file + rename), creating parent folders. */
  put(remotePath: string, content: Buffer | string, mode?: number): Promise<void>;
  /** Reads a whole file. */
  get(remotePath: string): Promise<Buffer>;
  /** Releases the connection; further calls fail. */
  close(): Promise<void>;
}

/** Raised when a host cannot be reached or refuses us: a clear message, the host, the cause. */
export class TransportError extends Error {
  constructor(
    readonly host: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${host}: ${message}`, options);
    this.name = 'TransportError';
  }
}
