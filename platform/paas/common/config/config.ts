// Reading open_paas.json on a PaaS host; its schema is shared with the controller that writes it.
import { readFileSync } from 'node:fs';
import { ConfigError, type PaasConfig, parseConfig } from '../../../../lib/config/open-paas';

export {
  ConfigError,
  ConfigSchema,
  type PaasConfig,
  PROGRAMS,
  type ProgramName,
  parseConfig,
} from '../../../../lib/config/open-paas';

/** The config path from `--config PATH` / `--config=PATH` in argv, else env BKCEC_CONFIG. */
export function configPath(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--config' && argv[i + 1]) return argv[i + 1]!;
    if (a.startsWith('--config=')) return a.slice('--config='.length);
  }
  if (env.BKCEC_CONFIG) return env.BKCEC_CONFIG;
  throw new ConfigError('no config file: expected --config PATH or the environment variable BKCEC_CONFIG');
}

/** Read and validate the config file named by argv/env. */
export function loadConfig(argv: readonly string[] = process.argv.slice(2), env = process.env): PaasConfig {
  const path = configPath(argv, env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config file ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseConfig(raw, path);
}

/** Public base URL of the platform, e.g. `http://paas.bking.com`. */
export function publicUrl(cfg: PaasConfig): string {
  return `${cfg.domains.HTTP_SCHEMA}://${cfg.domains.PAAS_DOMAIN}`;
}
