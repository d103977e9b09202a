// The service's config file: where to listen, which certificates, where to log, where MACs come from.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { normalizeMac } from './mac';

const schema = z
  .object({
    listen: z.string().min(1).default('0.0.0.0'),
    port: z.number().int().min(0).max(65535).default(8443),
    serverCert: z.string().min(1),
    serverKey: z.string().min(1),
    caCert: z.string().min(1),
    logFile: z.string().min(1).optional(),
    netClassDir: z.string().min(1).default('/sys/class/net'),
    macs: z.array(z.string().transform((s, ctx) => tryMac(s, ctx))).optional(),
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .default(64 * 1024),
  })
  .strict();

function tryMac(s: string, ctx: z.RefinementCtx): string {
  try {
    return normalizeMac(s);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
}

/** Parsed config; file paths are absolute (relative ones are taken from the config file's folder). */
export type LicenseConfig = z.infer<typeof schema>;

/** Reads and validates the config file at `path`; errors name the file, the key, expected and found. */
export function loadConfig(path: string): LicenseConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: expected a readable JSON file, found: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new Error(`${path}: invalid license config: ${issues.join('; ')}`);
  }
  const base = dirname(resolve(path));
  const c = parsed.data;
  return {
    ...c,
    serverCert: resolve(base, c.serverCert),
    serverKey: resolve(base, c.serverKey),
    caCert: resolve(base, c.caCert),
    netClassDir: resolve(base, c.netClassDir),
    logFile: c.logFile === undefined ? undefined : resolve(base, c.logFile),
  };
}

/** The config path from `--config PATH` / `--config=PATH`, else env BKCEC_CONFIG; throws when neither. */
export function configPathFrom(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  const i = argv.indexOf('--config');
  if (i >= 0) {
    const v = argv[i + 1];
    if (!v || v.startsWith('--')) throw new Error('expected a path after --config, found nothing');
    return v;
  }
  const eq = argv.find((a) => a.startsWith('--config='));
  if (eq) return eq.slice('--config='.length);
  if (env.BKCEC_CONFIG) return env.BKCEC_CONFIG;
  throw new Error('expected --config PATH or env BKCEC_CONFIG, found neither');
}
