// Every SSH command first prints its process group id on stderr, so a timeout can kill the
// whole group with one more channel (`kill -- -PGID`); the transport strips that line again.

import { PassThrough, type Readable } from 'node:stream';

const PID_MARK = 'bkcec-pid:';

/** `inner` preceded by the PID report (sshd makes the login shell a session and group leader). */
export function withPidReport(inner: string): string {
  return `printf '${PID_MARK}%s\\n' "$$" >&2; ${inner}`;
}

/** `src` without its first line when that line is the PID report, which goes to `onPid`. */
export function stripPidReport(src: Readable, onPid: (pid: number) => void): Readable {
  const out = new PassThrough();
  let head: Buffer | undefined = Buffer.alloc(0);
  src.on('data', (chunk: Buffer) => {
    if (!head) return out.write(chunk);
    head = Buffer.concat([head, chunk]);
    const nl = head.indexOf(10);
    if (nl < 0) return;
    const line = head.subarray(0, nl).toString();
    if (line.startsWith(PID_MARK)) {
      onPid(Number(line.slice(PID_MARK.length)));
      out.write(head.subarray(nl + 1));
    } else out.write(head);
    head = undefined;
  });
  src.on('end', () => out.end(head));
  return out;
}
