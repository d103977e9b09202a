import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AgentConfig, urlPrefix } from '../config';
import { installDeps, readManifest } from '../runtime/deps';
import { fetchPackage, gitClone } from '../runtime/fetch';
import { waitHealthy } from '../runtime/health';
import { type AppPaths, appPaths } from '../runtime/layout';
import { locationConf, testAndReload, waitRouted } from '../runtime/nginx';
import { appPort } from '../runtime/ports';
import { envFile, programConf, startProgram } from '../runtime/supervisor';
import { run } from './exec';
import type { JobLog } from './reporter';
import type { JobRequest } from './request';

/** Write `content` to `file` unless it already holds it; returns the previous content ('' if none). */
async function replace(file: string, content: string, mode = 0o644): Promise<string> {
  const before = await readFile(file, 'utf8').catch(() => '');
  if (before !== content) await writeFile(file, content, { mode });
  await chmod(file, mode);
  return before;
}

/** Fetch and install the new version into `next`, then swap it in (the old one kept as code.old). */
async function build(
  cfg: AgentConfig,
  job: JobRequest,
  p: AppPaths,
  log: JobLog,
  signal: AbortSignal,
): Promise<string> {
  const scratch = join(p.home, '.job');
  await rm(scratch, { recursive: true, force: true });
  await rm(p.next, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true, mode: 0o700 });
  try {
    const src = job.source!;
    if (src.kind === 'git') await gitClone(cfg, src, p.next, scratch, log, signal);
    else await fetchPackage(cfg, src, p.next, scratch, log, signal);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const m = await readManifest(p.next);
  log.line(`app ${m.name || job.app_code}: entry ${m.entry}`);
  await installDeps(cfg, p.next, m, log, signal);
  if (cfg.appUser)
    await run('chown', ['-R', `${cfg.appUser}:`, p.next], { env: { PATH: '/usr/bin:/bin' }, signal });
  await rm(`${p.code}.old`, { recursive: true, force: true });
  if (existsSync(p.code)) await rename(p.code, `${p.code}.old`);
  await rename(p.next, p.code);
  return m.entry;
}

/** Put the previous version back after a failed start (when there was one). */
async function rollback(cfg: AgentConfig, job: JobRequest, p: AppPaths, log: JobLog): Promise<void> {
  if (!existsSync(`${p.code}.old`)) return;
  log.line('restoring the previous version');
  await rm(p.code, { recursive: true, force: true });
  await rename(`${p.code}.old`, p.code);
  await startProgram(cfg, job.app_code, log, AbortSignal.timeout(30_000)).catch((e: Error) =>
    log.line(e.message),
  );
}

/**
 * The online job: build, write the env file and supervisor program, start it, wait until the app
 * answers its URL, then route `/t|o/<code>/` to it in the agent's nginx (tested before reload).
 */
export async function online(
  cfg: AgentConfig,
  job: JobRequest,
  log: JobLog,
  signal: AbortSignal,
): Promise<void> {
  const p = appPaths(cfg, job.app_code);
  const prefix = urlPrefix(cfg, job.app_code);
  await mkdir(p.home, { recursive: true, mode: 0o755 });
  await mkdir(cfg.logDir, { recursive: true });
  const entry = await build(cfg, job, p, log, signal);
  const port = await appPort(cfg, p);
  const nodeDir = cfg.nodeBin.slice(0, cfg.nodeBin.lastIndexOf('/'));
  const env = {
    ...job.envs,
    PORT: String(port),
    BK_ENV: job.mode === 'test' ? 'testing' : 'production',
    BK_LOG_DIR: cfg.logDir,
    BK_SITE_URL: prefix,
    NODE_ENV: 'production',
    PATH: `${nodeDir}:/usr/local/bin:/usr/bin:/bin`,
  };
  await replace(p.envFile, envFile(env), 0o600);
  if (cfg.appUser)
    await run('chown', [`${cfg.appUser}:`, p.envFile, p.home], { env: { PATH: '/usr/bin:/bin' }, signal });
  await replace(p.program, programConf(cfg, job.app_code, p, entry));
  log.line(`starting app-${job.app_code} on 127.0.0.1:${port}`);
  try {
    await startProgram(cfg, job.app_code, log, signal);
    log.line(await waitHealthy(cfg, job.app_code, port, prefix, signal));
  } catch (e) {
    const tail = (await readFile(p.logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-10);
    for (const l of tail) if (l) log.line(`[app] ${l}`);
    await rollback(cfg, job, p, log);
    throw e;
  }
  await rm(`${p.code}.old`, { recursive: true, force: true });
  const before = await replace(p.location, locationConf(job.app_code, prefix, port));
  try {
    await testAndReload(cfg, log, signal);
  } catch (e) {
    if (before) await writeFile(p.location, before);
    else await rm(p.location, { force: true });
    throw new Error(`nginx refused the new location, previous routing kept: ${(e as Error).message}`);
  }
  await waitRouted(cfg, job.app_code, prefix, true, signal);
  log.line(`${prefix} routed to 127.0.0.1:${port}`);
}
