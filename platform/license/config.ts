// Reading license.json on a license host; its schema is shared with the controller that writes it.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { LicenseConfigSchema } from '../../lib/config/license';

/** Parsed config; file paths are absolute (relative ones are taken from the config file's folder). */
export type LicenseConfig = z.infer<typeof LicenseConfigSchema>;

/** Reads and validates the config file at `path`; errors name the file, the key, expected and found. */
export function loadConfig(path: string): LicenseConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: expected a readable JSON file, found: ${(err as Error).message}`);
  }
  const parsed = LicenseConfigSchema.safeParse(raw);
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
