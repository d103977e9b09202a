import type { FastifyInstance } from 'fastify';
import { V2 } from '../envelopes/envelopes';

/** A named dependency check: resolves when healthy, throws with the reason otherwise. */
export type HealthCheck = () => Promise<unknown>;

/**
 * Mount a v2-style health endpoint: `{result, bk_error_code, bk_error_msg, data: {settings, <check>: "ok"|error}}`,
 * HTTP 200 when every check passes, 503 otherwise. Checks run in parallel with a timeout each.
 * `advisory` checks are reported in `data` the same way but never make the program unhealthy (e.g.
 * app agents that are stopped must not keep appengine, and so paas, from starting).
 */
export function registerHealthz(
  app: FastifyInstance,
  paths: readonly string[],
  checks: Record<string, HealthCheck>,
  timeoutMs = 3_000,
  advisory: Record<string, HealthCheck> = {},
): void {
  const all = { ...checks, ...advisory };
  const handler = async () => {
    const data: Record<string, string> = { settings: 'ok' };
    const names = Object.keys(all);
    const results = await Promise.allSettled(names.map((n) => withTimeout(all[n]!(), timeoutMs, n)));
    results.forEach((r, i) => {
      data[names[i]!] = r.status === 'fulfilled' ? 'ok' : `error: ${(r.reason as Error).message}`;
    });
    const bad = Object.keys(checks).filter((n) => data[n] !== 'ok');
    return bad.length === 0
      ? { result: true, bk_error_code: V2.OK, bk_error_msg: 'OK', data }
      : { result: false, bk_error_code: V2.UNHEALTHY, bk_error_msg: `unhealthy: ${bad.join(', ')}`, data };
  };
  for (const path of paths) {
    app.get(path, { config: { auth: 'public' } }, async (_req, reply) => {
      const body = await handler();
      return reply.code(body.result ? 200 : 503).send(body);
    });
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
