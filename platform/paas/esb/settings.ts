import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { configPath } from '../common/config/config';

const url = z
  .string()
  .regex(/^https?:\/\/[^/\s]+$/, 'expected a base URL like http://cc.service.consul:8083 (no path)');

/** ESB-only settings: the optional `esb` section of the shared config file. */
export const EsbSettingsSchema = z.object({
  /** Back-end base URL per system name (CC, SOPS, …) for declarative components. */
  systems: z.record(z.string(), z.object({ host: url, testHost: url.optional() })).default({}),
  /** How long app secrets, the whitelist and verified bk_tokens stay cached in memory. */
  cacheSec: z.number().min(0).max(300).default(5),
  /** How often channels, systems and self-service components are reloaded from MySQL. */
  refreshSec: z.number().min(0.1).max(600).default(5),
  /** Worker processes sharing the port (node:cluster); like nginx's worker_processes. */
  workers: z.number().int().min(1).max(64).default(1),
});
export type EsbSettings = z.infer<typeof EsbSettingsSchema>;

/** Validate an `esb` section (undefined gives the defaults); `source` names it in errors. */
export function parseEsbSettings(raw: unknown, source: string): EsbSettings {
  const r = EsbSettingsSchema.safeParse(raw ?? {});
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `  esb.${i.path.join('.')}: ${i.message}`);
  throw new Error(`invalid esb section in ${source}:\n${lines.join('\n')}`);
}

/** Read the `esb` section from the config file named by argv/env (the common loader drops it). */
export function loadEsbSettings(
  argv: readonly string[] = process.argv.slice(2),
  env = process.env,
): EsbSettings {
  const path = configPath(argv, env);
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { esb?: unknown };
  return parseEsbSettings(raw.esb, path);
}
