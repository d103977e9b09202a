import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/** Start a daemon with output to `logFile`; `stop()` sends SIGTERM then SIGKILL after 5 s. */
export function startDaemon(cmd: string, args: readonly string[], logFile: string) {
  const log = createWriteStream(logFile);
  const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exited = false;
  const done = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  return {
    child,
    exited: () => exited,
    async stop(): Promise<void> {
      if (exited) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await done;
      clearTimeout(t);
    },
  };
}
