// Health gates. On a host: each local program's /healthz/ answers 200 (the platform node does the
// polling). From the controller: every /healthz/ through the front nginx, with Host: PAAS_FQDN (over
// https when HTTP_SCHEMA=https: plain http for that name is only a redirect).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { shQuote as q } from '../../engine/script';
import type { RunContext, Step } from '../../engine/types';
import { healthPath, PORT_VAR } from './paths';
import { nodeBin } from './runtime';

type Vars = Readonly<Record<string, string>>;

/** Seconds a health gate waits for every URL to answer 200. */
export const HEALTH_WAIT_SECS = 60;

/** The front-door paths of the four programs (nginx strips /login/ and /api/, keeps /v1). */
export const FRONT_PATHS = ['/healthz/', '/login/healthz/', '/api/healthz/', '/v1/healthz/'] as const;

/** One GET; resolves with the status and the start of the body (never rejects). */
export function probe(
  url: string,
  host: string | undefined,
  timeoutMs = 3000,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const o = { headers: host ? { host } : {}, timeout: timeoutMs, agent: false };
    // The gate asks whether the programs answer through the front door; the certificate's names and
    // chain are the operator's business (bkcec checked a supplied pair when the control dir loaded).
    const tls = { ...o, servername: host, rejectUnauthorized: false };
    const request = url.startsWith('https:')
      ? (cb: Parameters<typeof httpsRequest>[2]) => httpsRequest(url, tls, cb)
      : (cb: Parameters<typeof httpRequest>[2]) => httpRequest(url, o, cb);
    const req = request((res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (body.length < 400) body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: body.slice(0, 400) }));
      res.on('error', (e) => resolve({ status: 0, body: e.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => resolve({ status: 0, body: e.message }));
    req.end();
  });
}

/** Polls every URL until each answered 200 once; throws naming each that never did, with its last answer. */
export async function waitAll200(
  urls: readonly string[],
  host: string | undefined,
  deadlineSecs: number,
): Promise<void> {
  const deadline = Date.now() + deadlineSecs * 1000;
  const last = new Map<string, string>();
  let pending = [...urls];
  while (pending.length) {
    const results = await Promise.all(pending.map(async (u) => [u, await probe(u, host)] as const));
    pending = [];
    for (const [u, r] of results) {
      if (r.status === 200) continue;
      pending.push(u);
      last.set(u, r.status ? `HTTP ${r.status}: ${r.body.replace(/\s+/g, ' ').trim()}` : r.body);
    }
    if (!pending.length) return;
    if (Date.now() >= deadline) {
      const lines = pending.map((u) => `  ${u}${host ? ` (Host: ${host})` : ''} → ${last.get(u)}`);
      throw new Error(`expected HTTP 200 within ${deadlineSecs} s, found:\n${lines.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `verify` of start/restart: the front door answers every program's health URL. */
export async function verifyFrontDoor(ctx: RunContext, hosts: readonly string[]): Promise<void> {
  const v = ctx.varsOf(hosts[0]!);
  const nginx = ctx.hostsOf('nginx');
  if (nginx.length === 0) {
    ctx.log('paas: no nginx host in install.config; checked each program directly instead of the front door');
    const urls = hosts.flatMap((ip) =>
      Object.entries(PORT_VAR).map(([p, port]) => `http://${ip}:${v[port]}${healthPath(p)}`),
    );
    return waitAll200(urls, undefined, HEALTH_WAIT_SECS);
  }
  const base =
    v.HTTP_SCHEMA === 'https' ? `https://%s:${v.PAAS_HTTPS_PORT}` : `http://%s:${v.PAAS_HTTP_PORT}`;
  const urls = nginx.flatMap((ip) => FRONT_PATHS.map((p) => `${base.replace('%s', ip)}${p}`));
  await waitAll200(urls, v.PAAS_FQDN, HEALTH_WAIT_SECS);
}

/** Poller run by the platform node on the host: argv = deadline seconds, then URLs. */
const POLLER = `const [secs, ...urls] = process.argv.slice(1);
const end = Date.now() + Number(secs) * 1000, last = {};
let todo = urls;
(async () => {
  while (todo.length) {
    const next = [];
    for (const u of todo) {
      try {
        const r = await fetch(u, { signal: AbortSignal.timeout(3000) });
        const t = (await r.text()).replace(/\\s+/g, ' ').slice(0, 300);
        if (r.status !== 200) { next.push(u); last[u] = 'HTTP ' + r.status + ': ' + t; }
      } catch (e) { next.push(u); last[u] = String(e.cause?.message ?? e.message); }
    }
    todo = next;
    if (todo.length && Date.now() > end) {
      for (const u of todo) console.error('expected HTTP 200 from ' + u + ' within ' + secs + ' s, found ' + last[u]);
      process.exit(1);
    }
    if (todo.length) await new Promise((r) => setTimeout(r, 50));
  }
})();`;

/** A host step waiting until each of `projects` answers 200 on its own port. */
export function localHealthStep(v: Vars, projects: readonly string[]): Step {
  const urls = projects.map((p) => `http://${v.LAN_IP}:${v[PORT_VAR[p]!]}${healthPath(p)}`);
  return {
    id: 'healthy',
    title: `healthy: ${projects.join(', ')}`,
    always: true,
    timeoutMs: (HEALTH_WAIT_SECS + 30) * 1000,
    script: `${q(nodeBin(v))} -e ${q(POLLER)} ${HEALTH_WAIT_SECS} ${urls.join(' ')} || { echo "logs: ${v.INSTALL_PATH}/logs/open_paas/ and ${v.INSTALL_PATH}/logs/paas/" >&2; exit 1; }`,
  };
}
