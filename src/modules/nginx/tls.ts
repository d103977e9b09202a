// HTTP_SCHEMA=https: the front door's certificate, the operator's (HTTPS_CERT_FILE / HTTPS_KEY_FILE,
// checked when the control directory loads) or one bkcec makes in <control>/cert/https, signed by a
// bkcec front-door CA (front-ca.crt: what browsers and clients are given to trust).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { httpsFiles } from '../../config/https';
import { makePrivateDir } from '../../config/privdir';
import type { HostContext, RunContext, Step } from '../../engine/types';
import { ensureCa, ensureLeaf } from '../license/reuse';

type Vars = Readonly<Record<string, string>>;

/** The names bkcec uses in <control>/cert/https. */
export const TLS_FILES = { caCert: 'front-ca.crt', caKey: 'front-ca.key', cert: 'paas.crt', key: 'paas.key' };
const DAYS = 825;

export const isHttps = (v: Vars): boolean => v.HTTP_SCHEMA === 'https';

/** Where nginx hosts keep the pair. */
export const tlsPaths = (v: Vars) => ({
  cert: `${v.INSTALL_PATH}/etc/nginx/ssl/paas.crt`,
  key: `${v.INSTALL_PATH}/etc/nginx/ssl/paas.key`,
});

/** The https pair as the controller read it. */
export interface TlsPair {
  cert: Buffer;
  key: Buffer;
}

/** Controller side (install nginx): the pair read or made; none with HTTP_SCHEMA=http. */
export async function prepareTls(ctx: RunContext, hosts: readonly string[]): Promise<TlsPair | undefined> {
  const v = ctx.varsOf(hosts[0]!);
  if (!isHttps(v)) return undefined;
  const globals = new Map(Object.entries(v));
  let files = httpsFiles(globals, ctx.controlDir);
  if (!files) {
    const dir = join(ctx.controlDir, 'cert', 'https');
    makePrivateDir(dir);
    const changed: string[] = [];
    const now = new Date();
    const ca = await ensureCa(
      dir,
      { cert: TLS_FILES.caCert, key: TLS_FILES.caKey, cn: 'bkcec front door CA' },
      now,
      changed,
    );
    const ips = ctx.hostsOf('nginx');
    const san = [
      { type: 'dns' as const, value: v.PAAS_FQDN! },
      ...(v.PAAS_HOST ? [{ type: 'dns' as const, value: v.PAAS_HOST }] : []),
      ...ips.map((ip) => ({ type: 'ip' as const, value: ip })),
    ];
    await ensureLeaf(
      dir,
      ca,
      { cert: TLS_FILES.cert, key: TLS_FILES.key },
      { commonName: v.PAAS_FQDN!, usage: 'server', san, days: DAYS },
      now,
      changed,
    );
    if (changed.length)
      ctx.log(
        `nginx: https certificate written: ${changed.join(', ')} (trust ${join(dir, TLS_FILES.caCert)})`,
      );
    files = { cert: join(dir, TLS_FILES.cert), key: join(dir, TLS_FILES.key) };
  }
  const [cert, key] = await Promise.all([readFile(files.cert), readFile(files.key)]);
  return { cert, key };
}

/** The pair on an nginx host (key 0600 root: only the master reads it); nothing with HTTP_SCHEMA=http. */
export function tlsStep(h: HostContext, pair: TlsPair | undefined): Step[] {
  const v = h.vars;
  if (!isHttps(v)) return [];
  const base = { id: 'tls', title: `https certificate for ${v.PAAS_FQDN}`, notify: 'nginx' };
  if (!pair) return [{ ...base, dynamic: true }];
  const p = tlsPaths(v);
  return [
    {
      ...base,
      files: [
        { path: p.cert, content: pair.cert, mode: 0o644 },
        { path: p.key, content: pair.key, mode: 0o600 },
      ],
      script: `chmod 0700 ${v.INSTALL_PATH}/etc/nginx/ssl`,
    },
  ];
}
