import { chmod, chown, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { type AgentConfig, urlPrefix } from '../config';
import { writeAgentFiles } from '../runtime/agentfiles';
import { buildNode } from '../runtime/deps';
import { detect, type Language } from '../runtime/detect';
import { fetchPackage, gitClone } from '../runtime/fetch';
import { waitHealthy } from '../runtime/health';
import { appPaths } from '../runtime/layout';
import { locationConf, testAndReload, waitRouted } from '../runtime/nginx';
import { reachable, rootDir, userDir } from '../runtime/owned';
import { appPort } from '../runtime/ports';
import { type Built, programConf } from '../runtime/program';
import { buildPython } from '../runtime/python';
import { type AppCtx, asUser } from '../runtime/sandbox';
import { publishStatic } from '../runtime/statics';
import { envFile, startProgram } from '../runtime/supervisor';
import { ensureAppUser } from '../runtime/users';
import type { JobLog } from './reporter';
import type { JobRequest } from './request';

/** Write a root-owned file atomically unless it already holds `content`; returns the previous content. */
async function replace(file: string, content: string, mode = 0o644, gid = 0): Promise<string> {
  const before = await readFile(file, 'utf8').catch(() => '');
  if (before !== content) {
    await writeFile(`${file}.tmp`, content, { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }
  await chown(file, 0, gid);
  await chmod(file, mode);
  return before;
}

/** Paths of a built version in `next`, as they are once it is swapped into `code`. */
function relocate(b: Built, from: string, to: string): Built {
  const r = (s: string) => (s === from || s.startsWith(`${from}/`) ? to + s.slice(from.length) : s);
  return {
    ...b,
    directory: r(b.directory),
    web: b.web.map(r),
    celery: b.celery?.map(r),
    beat: b.beat?.map(r),
    static: b.static && { ...b.static, dir: r(b.static.dir) },
  };
}

/** Fetch into `next`, check the language, build, then swap it in (the running one kept as code.old). */
async function build(c: AppCtx, job: JobRequest, prefix: string, port: number): Promise<Built> {
  const { p } = c;
  await asUser(c, 'rm', ['-rf', '--', p.next], { quiet: true });
  const src = job.source!;
  if (src.kind === 'git') await gitClone(c, src, p.next);
  else await fetchPackage(c, src, p.next);
  const d = await detect(c, p.next, job.language);
  const built =
    d.language === 'python'
      ? await buildPython(c, d.src, d.pkgs, prefix, port)
      : await buildNode(c, d.src, prefix);
  built.language = d.language;
  await asUser(
    c,
    'sh',
    [
      '-c',
      'rm -rf -- "$2" && { [ ! -e "$1" ] || mv -T -- "$1" "$2"; } && mv -T -- "$3" "$1"',
      'swap',
      p.code,
      p.old,
      p.next,
    ],
    {
      quiet: true,
    },
  );
  return relocate(built, p.next, p.code);
}

/**
 * The online job: the app's user and folders, its env file, the build (as that user), the
 * supervisor group, start and wait until it answers its URL, publish static files, then route
 * `/t|o/<code>/` in the agent's nginx (tested before reload). A failed start restores the
 * previous version and program.
 */
export async function online(
  cfg: AgentConfig,
  job: JobRequest,
  log: JobLog,
  signal: AbortSignal,
): Promise<Language> {
  const code = job.app_code;
  const p = appPaths(cfg, code);
  const prefix = urlPrefix(cfg, code);
  await rootDir(cfg.appsDir, 0o755);
  await rootDir(cfg.logDir, 0o751); // app users pass through to their own log folder
  await rootDir(p.home, 0o755, true); // nginx reads static/ below it
  await writeAgentFiles(cfg);
  const user = await ensureAppUser(cfg, code, p.work);
  log.line(`building and running as user ${user.name} (uid ${user.uid})`);
  await userDir(p.work, user);
  await reachable(p.work, user);
  await userDir(p.appLogDir, user);
  await reachable(p.appLogDir, user);
  const port = await appPort(cfg, p);
  const env = {
    ...job.envs,
    PORT: String(port),
    BK_ENV: job.mode === 'test' ? 'testing' : 'production',
    BK_LOG_DIR: cfg.logDir,
    BK_SITE_URL: prefix,
  };
  await replace(p.envFile, envFile(env), 0o640, user.gid);
  const c: AppCtx = { cfg, code, user, p, log, signal, env };
  const built = await build(c, job, prefix, port);
  const before = await replace(p.program, programConf(cfg, code, p, user, built));
  log.line(`starting app-${code} on 127.0.0.1:${port}`);
  try {
    await startProgram(cfg, code, log, signal);
    log.line(await waitHealthy(cfg, code, port, prefix, signal));
  } catch (e) {
    const tail = (await readFile(p.logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-10);
    for (const l of tail) if (l) log.line(`[app] ${l}`);
    await rollback(c, before);
    throw e;
  }
  const stat = built.static && { dir: await publishStatic(c, built.static.dir), url: built.static.url };
  const loc = await replace(p.location, locationConf(code, prefix, port, stat));
  try {
    await testAndReload(cfg, log, signal);
  } catch (e) {
    if (loc) await writeFile(p.location, loc);
    else await rm(p.location, { force: true });
    throw new Error(`nginx refused the new location, previous routing kept: ${(e as Error).message}`);
  }
  await waitRouted(cfg, code, prefix, true, signal);
  log.line(`${prefix} routed to 127.0.0.1:${port}`);
  await asUser(c, 'rm', ['-rf', '--', p.old], { quiet: true });
  await pruneVenvs(c, built);
  return built.language!;
}

/** Put the previous version and program back after a failed start (when there was one). */
async function rollback(c: AppCtx, program: string): Promise<void> {
  const { p, log } = c;
  const had = await asUser(c, 'test', ['-d', p.old], { quiet: true }).then(
    () => true,
    () => false,
  );
  if (!had || !program) return;
  log.line('restoring the previous version');
  await asUser(c, 'sh', ['-c', 'rm -rf -- "$1" && mv -T -- "$2" "$1"', 'restore', p.code, p.old], {
    quiet: true,
  });
  await replace(p.program, program);
  await startProgram(c.cfg, c.code, log, AbortSignal.timeout(30_000)).catch((e: Error) =>
    log.line(e.message),
  );
}

/** Remove virtualenvs the running version does not use. */
async function pruneVenvs(c: AppCtx, b: Built): Promise<void> {
  const used = b.web[0]?.startsWith(`${c.p.venvs}/`)
    ? b.web[0].slice(c.p.venvs.length + 1).split('/')[0]
    : undefined;
  if (!used) return;
  await asUser(
    c,
    'find',
    [
      c.p.venvs,
      '-mindepth',
      '1',
      '-maxdepth',
      '1',
      '!',
      '-name',
      used,
      '-exec',
      'rm',
      '-rf',
      '--',
      '{}',
      '+',
    ],
    {
      quiet: true,
    },
  ).catch(() => undefined);
}
