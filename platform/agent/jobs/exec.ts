import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { JobLog } from './reporter';

/** How a command runs: cwd, env (replaces the process env), and the job's abort signal. */
export interface ExecOptions {
  cwd?: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** Lines of output go here (stdout and stderr alike). */
  log?: JobLog;
  /** Run as this user and group (supplementary groups dropped); the agent's own user when absent. */
  user?: { uid: number; gid: number };
  /** An open file descriptor for stdin (default: none). */
  stdin?: number;
  /** How failures name the command (default: the command and its first argument). */
  label?: string;
  /** A stream piped to stdin instead (the root helper passes on what the agent sent). */
  input?: Readable;
}

/**
 * Run `cmd args` (never through a shell) in its own process group; every output line goes to the
 * job log. Resolves with the output; rejects with the exit code and the last lines when it fails,
 * and kills the whole group when the job is aborted (timeout).
 */
export function run(cmd: string, args: readonly string[], o: ExecOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    if (o.signal.aborted) return reject(new Error(`not started (${String(o.signal.reason)}): ${cmd}`));
    const child = spawn(cmd, args, {
      cwd: o.cwd,
      env: o.env,
      detached: true,
      stdio: [o.input ? 'pipe' : (o.stdin ?? 'ignore'), 'pipe', 'pipe'],
      ...(o.user ? { uid: o.user.uid, gid: o.user.gid } : {}),
    });
    const out: string[] = [];
    let partial = '';
    const onData = (b: Buffer) => {
      const parts = (partial + b.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      for (const p of parts) {
        out.push(p);
        o.log?.line(p);
      }
    };
    if (o.input && child.stdin) {
      child.stdin.on('error', () => undefined); // a child that stops reading early is judged by its exit
      o.input.pipe(child.stdin);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    o.signal.addEventListener('abort', kill, { once: true });
    child.on('error', (e) => {
      o.signal.removeEventListener('abort', kill);
      reject(new Error(`could not run ${cmd}: ${e.message}`));
    });
    child.on('close', (code, sig) => {
      o.signal.removeEventListener('abort', kill);
      if (partial) {
        out.push(partial);
        o.log?.line(partial);
      }
      if (code === 0) return resolve(out.join('\n'));
      const tail = out.slice(-5).join(' | ');
      const how = o.signal.aborted
        ? `was killed (${String(o.signal.reason)})`
        : sig
          ? `died of ${sig}`
          : `exited ${code}`;
      reject(new Error(`${o.label ?? `${cmd} ${args[0] ?? ''}`} ${how}${tail ? `: ${tail}` : ''}`));
    });
  });
}
