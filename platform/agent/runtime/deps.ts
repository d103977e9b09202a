import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentConfig } from '../config';
import { run } from '../jobs/exec';
import type { JobLog } from '../jobs/reporter';
import { toolEnv } from './layout';

/** What the agent needs from an app's package.json. */
export interface AppManifest {
  name: string;
  /** The file node runs. */
  entry: string;
  hasDependencies: boolean;
}

/** Read package.json and find the entry (`main`, else index.js, server.js, app.js). */
export async function readManifest(dir: string): Promise<AppManifest> {
  const file = join(dir, 'package.json');
  let pkg: { name?: string; main?: string; dependencies?: Record<string, string> };
  try {
    pkg = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(
      `expected a Node.js app with a readable package.json at its root: ${(e as Error).message}`,
    );
  }
  const candidates = pkg.main ? [pkg.main] : ['index.js', 'server.js', 'app.js'];
  const entry = candidates.find((c) => !c.includes('..') && existsSync(join(dir, c)));
  if (!entry) throw new Error(`expected the entry file ${candidates.join(' or ')} in the app, found none`);
  return { name: pkg.name ?? '', entry, hasDependencies: Object.keys(pkg.dependencies ?? {}).length > 0 };
}

/**
 * Install production dependencies with the platform's node: `npm ci --omit=dev` with a lock file,
 * else `npm install --omit=dev`. An app without dependencies never calls npm (works offline).
 */
export async function installDeps(
  cfg: AgentConfig,
  dir: string,
  m: AppManifest,
  log: JobLog,
  signal: AbortSignal,
): Promise<void> {
  if (!m.hasDependencies) {
    log.line('no dependencies in package.json: npm not needed');
    return;
  }
  if (!cfg.npmCli || !existsSync(cfg.npmCli))
    throw new Error(
      `the app has dependencies but npm is not installed on this agent (npmCli: ${cfg.npmCli ?? 'not set'})`,
    );
  const lock = existsSync(join(dir, 'package-lock.json')) || existsSync(join(dir, 'npm-shrinkwrap.json'));
  const args = [
    cfg.npmCli,
    lock ? 'ci' : 'install',
    '--omit=dev',
    '--no-audit',
    '--no-fund',
    '--no-update-notifier',
  ];
  log.line(`npm ${args.slice(1).join(' ')}`);
  const extra: Record<string, string> = { npm_config_cache: join(cfg.appsDir, '.npm-cache') };
  if (cfg.npmRegistry) extra.npm_config_registry = cfg.npmRegistry;
  await run(cfg.nodeBin, args, { cwd: dir, env: toolEnv(cfg, extra), signal, log });
}
