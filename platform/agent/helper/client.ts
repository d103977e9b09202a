import { connect } from 'node:net';
import type { AgentConfig } from '../config';
import type { HelperRequest, Reply } from './protocol';

/** What a helper call gives back: the lines it sent and its result. */
export interface HelperAnswer {
  lines: string[];
  result: unknown;
}

/**
 * Send one request to the root helper and wait for its answer; each line it sends goes to
 * `onLine` as it comes. Aborting `signal` closes the connection (the helper then kills what it
 * runs for the request). `stdin` is streamed after the request (`run` with `stdin: true`).
 */
export function callHelper(
  cfg: Pick<AgentConfig, 'helper'>,
  req: HelperRequest,
  o: { signal: AbortSignal; onLine?: (l: string) => void; stdin?: Buffer },
): Promise<HelperAnswer> {
  const socket = cfg.helper?.socket;
  if (!socket) return Promise.reject(new Error('no root helper configured (agent config helper.socket)'));
  return new Promise((resolve, reject) => {
    if (o.signal.aborted) return reject(new Error(`not started (${String(o.signal.reason)}): ${req.op}`));
    const s = connect(socket);
    const lines: string[] = [];
    let buf = '';
    let done = false;
    const finish = (e: Error | undefined, result?: unknown) => {
      if (done) return;
      done = true;
      o.signal.removeEventListener('abort', abort);
      s.destroy();
      if (e) reject(e);
      else resolve({ lines, result });
    };
    const abort = () => finish(new Error(`${req.op} ${req.code} was stopped (${String(o.signal.reason)})`));
    o.signal.addEventListener('abort', abort, { once: true });
    s.on('connect', () => {
      s.write(`${JSON.stringify(req)}\n`);
      if (o.stdin) s.write(o.stdin);
      s.end();
    });
    s.on('data', (d) => {
      buf += d.toString('utf8');
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const m = JSON.parse(buf.slice(0, i)) as Reply;
        buf = buf.slice(i + 1);
        if ('line' in m) {
          lines.push(m.line);
          o.onLine?.(m.line);
        } else if (m.ok) finish(undefined, m.result);
        else finish(new Error(m.error));
      }
    });
    s.on('error', (e) => finish(new Error(`root helper at ${socket}: ${e.message}`)));
    s.on('close', () => finish(new Error(`root helper closed the connection before answering ${req.op}`)));
  });
}

/** `callHelper` for the agent's jobs: the helper's lines go to the job log, resolves with the result. */
export async function ask<T = unknown>(
  cfg: Pick<AgentConfig, 'helper'>,
  req: HelperRequest,
  signal: AbortSignal,
  log?: { line(l: string): void },
): Promise<T> {
  return (await callHelper(cfg, req, { signal, onLine: log && ((l) => log.line(l)) })).result as T;
}
