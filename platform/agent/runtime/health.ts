import type { AgentConfig } from '../config';
import { ask } from '../helper/client';

/**
 * Wait until the app answers `http://127.0.0.1:<port><prefix>` with a status below 400 while
 * supervisor reports it RUNNING; throws with the last answer or state when time runs out.
 */
export async function waitHealthy(
  cfg: AgentConfig,
  code: string,
  port: number,
  prefix: string,
  signal: AbortSignal,
): Promise<string> {
  const url = `http://127.0.0.1:${port}${prefix}`;
  const end = Date.now() + cfg.healthTimeoutSec * 1000;
  let last = 'no answer yet';
  while (Date.now() < end && !signal.aborted) {
    const state = await ask<string>(cfg, { op: 'status', code }, signal).catch(() => '');
    if (state === 'FATAL' || state === 'BACKOFF' || state === 'EXITED') {
      last = `supervisor reports the app ${state}`;
      if (state === 'FATAL') break;
    } else {
      try {
        const r = await fetch(url, { signal: AbortSignal.timeout(2_000), redirect: 'manual' });
        await r.arrayBuffer();
        if (r.status < 400 && state === 'RUNNING') return `${url} answered HTTP ${r.status}`;
        last = `${url} answered HTTP ${r.status} (supervisor: ${state || 'unknown'})`;
      } catch (e) {
        last = `${url}: ${(e as Error).message}`;
      }
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the app did not become healthy within ${cfg.healthTimeoutSec} s: ${last}`);
}
