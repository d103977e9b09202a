// Throughput runs with wrk plus the CPU time the server under test spent per request (from /proc).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

/** One wrk run: requests/s, p99 latency (ms), errors, requests, server CPU per request (µs). */
export interface WrkRun {
  rps: number;
  p99: number;
  errors: number;
  requests: number;
  cpuUs: number;
}

/** Requests/s, p99 (ms), errors and request count from wrk's `--latency` output. */
export function parseWrk(out: string): Omit<WrkRun, 'cpuUs'> {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const m = /\s99%\s+([\d.]+)(us|ms|s)\b/.exec(out);
  if (!rps || !m) throw new Error(`could not read wrk output:\n${out}`);
  const p99 = Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2] as 'us' | 'ms' | 's'];
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  return {
    rps,
    p99,
    requests,
    errors: non2xx + (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0),
  };
}

/** CPU time (user + system, ms) used so far by `pid` and its direct children, from /proc. */
export async function cpuMs(pid: number): Promise<number> {
  const stat = async (p: number) => {
    const f = (await readFile(`/proc/${p}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, USER_HZ 100
  };
  const kids = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => ''))
    .split(' ')
    .filter(Boolean)
    .map(Number);
  const all = await Promise.all([pid, ...kids].map(stat));
  return all.reduce((a, b) => a + b, 0);
}

/** wrk (1 thread, `connections`) against `url` for `seconds`, with the CPU per request of process tree `pid`. */
export async function wrk(url: string, seconds: number, connections: number, pid: number): Promise<WrkRun> {
  const before = await cpuMs(pid);
  const { stdout } = await promisify(execFile)(
    'wrk',
    ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url],
    { timeout: (seconds + 30) * 1000 },
  );
  const r = parseWrk(stdout);
  return { ...r, cpuUs: (((await cpuMs(pid)) - before) * 1000) / r.requests };
}

/** The run with the median requests/s. */
export function medianRun(runs: WrkRun[]): WrkRun {
  return [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)]!;
}
