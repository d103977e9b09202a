// HTTP_SCHEMA=https settings, checked before any host is touched: the operator's certificate and key
// (HTTPS_CERT_FILE / HTTPS_KEY_FILE, paths relative to the control directory) must parse, match,
// be valid now and name PAAS_FQDN; without them bkcec makes a pair (nginx module). Ports distinct.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { ParsedEnv } from './envfile';
import type { Issue } from './issues';

/** The operator's pair as absolute paths, or undefined when bkcec makes one. */
export function httpsFiles(globals: ReadonlyMap<string, unknown>, dir: string) {
  const get = (k: string) => {
    const v = globals.get(k);
    return typeof v === 'string' && v !== '' ? (isAbsolute(v) ? v : join(dir, v)) : undefined;
  };
  const cert = get('HTTPS_CERT_FILE');
  const key = get('HTTPS_KEY_FILE');
  return cert && key ? { cert, key } : undefined;
}

/** What is wrong with a certificate/key pair for `fqdn`, or undefined when it serves. */
export function pairProblem(
  certPem: string,
  keyPem: string,
  fqdn: string,
  now = new Date(),
): string | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return 'expected a PEM certificate, found something that does not parse';
  }
  try {
    if (!cert.checkPrivateKey(createPrivateKey(keyPem)))
      return 'expected the key of this certificate, found another key';
  } catch {
    return 'expected a PEM private key, found something that does not parse';
  }
  if (new Date(cert.validTo) <= now)
    return `expected a certificate valid now, found one that expired ${cert.validTo}`;
  if (new Date(cert.validFrom) > now)
    return `expected a certificate valid now, found one valid from ${cert.validFrom}`;
  if (!cert.checkHost(fqdn))
    return `expected a certificate naming ${fqdn} (PAAS_FQDN), found ${cert.subjectAltName ?? cert.subject}`;
  return undefined;
}

/** Issues of the https settings in globals.env / ports.env (none when HTTP_SCHEMA is http). */
export async function checkHttps(
  globals: ParsedEnv,
  globalsFile: string,
  ports: ParsedEnv,
  portsFile: string,
  dir: string,
): Promise<Issue[]> {
  const issues: Issue[] = [];
  const at = (env: ParsedEnv, file: string, name: string, message: string) => {
    const w = env.where.get(name);
    issues.push({ file, line: w?.line ?? 1, col: w?.valueCol ?? 1, message: `${name}: ${message}` });
  };
  const has = (k: string) => typeof globals.vars.get(k) === 'string' && globals.vars.get(k) !== '';
  if (globals.vars.get('HTTP_SCHEMA') !== 'https') {
    for (const k of ['HTTPS_CERT_FILE', 'HTTPS_KEY_FILE'])
      if (has(k))
        at(globals, globalsFile, k, 'expected HTTP_SCHEMA=https with a certificate, found HTTP_SCHEMA=http');
    return issues;
  }
  const http = ports.vars.get('PAAS_HTTP_PORT');
  const https = ports.vars.get('PAAS_HTTPS_PORT');
  if (http !== undefined && http === https)
    at(ports, portsFile, 'PAAS_HTTPS_PORT', `expected a port other than PAAS_HTTP_PORT, found both ${https}`);
  if (has('HTTPS_CERT_FILE') !== has('HTTPS_KEY_FILE')) {
    const missing = has('HTTPS_CERT_FILE') ? 'HTTPS_KEY_FILE' : 'HTTPS_CERT_FILE';
    const other = missing === 'HTTPS_KEY_FILE' ? 'HTTPS_CERT_FILE' : 'HTTPS_KEY_FILE';
    at(
      globals,
      globalsFile,
      other,
      `expected ${missing} too (both, or neither for a certificate bkcec makes), found none`,
    );
    return issues;
  }
  const files = httpsFiles(globals.vars, dir);
  if (!files) return issues;
  const read = (name: string, path: string) =>
    readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
      at(
        globals,
        globalsFile,
        name,
        `expected a readable file, found ${e.code === 'ENOENT' ? 'nothing' : e.code} at ${path}`,
      );
      return undefined;
    });
  const [cert, key] = await Promise.all([
    read('HTTPS_CERT_FILE', files.cert),
    read('HTTPS_KEY_FILE', files.key),
  ]);
  if (cert === undefined || key === undefined) return issues;
  const fqdn = globals.vars.get('PAAS_FQDN');
  const problem = pairProblem(cert, key, typeof fqdn === 'string' ? fqdn : '');
  if (problem) at(globals, globalsFile, 'HTTPS_CERT_FILE', problem);
  return issues;
}
