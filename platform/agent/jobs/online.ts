import { type AgentConfig, urlPrefix } from '../config';
import { ask, callHelper } from '../helper/client';
import { waitWorker } from '../runtime/celery';
import { buildNode } from '../runtime/deps';
import { detect, type Language } from '../runtime/detect';
import { fetchPackage, gitClone } from '../runtime/fetch';
import { waitHealthy } from '../runtime/health';
import { appPaths } from '../runtime/layout';
import { waitRouted } from '../runtime/nginx';
import type { Built } from '../runtime/program';
import { buildPython } from '../runtime/python';
import { type AppCtx, asUser } from '../runtime/sandbox';
import type { AppUser } from '../runtime/users';
import type { JobLog } from './reporter';
import type { JobRequest } from './request';

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
  if (job.celery.worker && d.language !== 'python')
    throw new Error(
      `is_use_celery is set but the code is ${d.language}: Celery workers run Python apps only`,
    );
  const built =
    d.language === 'python'
      ? await buildPython(c, d.src, d.pkgs, prefix, port, job.celery)
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
  const { user, port } = await ask<{ user: AppUser; port: number }>(cfg, { op: 'prepare', code }, signal);
  log.line(`building and running as user ${user.name} (uid ${user.uid})`);
  const env = {
    ...job.envs,
    PORT: String(port),
    BK_ENV: job.mode === 'test' ? 'testing' : 'production',
    BK_LOG_DIR: cfg.logDir,
    BK_SITE_URL: prefix,
  };
  await ask(cfg, { op: 'env', code, env }, signal);
  const c: AppCtx = {
    cfg,
    code,
    user,
    p,
    log,
    signal,
    env,
    exec: async (cmd, args, o) =>
      (
        await callHelper(
          cfg,
          { op: 'run', code, argv: [cmd, ...args], cwd: o.cwd, env: { ...env, ...o.env }, stdin: !!o.stdin },
          { signal, stdin: o.stdin, onLine: o.quiet ? undefined : (l) => log.line(l) },
        )
      ).lines.join('\n'),
  };
  const built = await build(c, job, prefix, port);
  await ask(cfg, { op: 'program', code, built }, signal);
  log.line(`starting app-${code} on 127.0.0.1:${port}`);
  try {
    await ask(cfg, { op: 'start', code }, signal, log);
    log.line(await waitHealthy(cfg, code, port, prefix, signal));
    if (built.celery) log.line(await waitWorker(c, built));
  } catch (e) {
    const tail = await ask<string[]>(cfg, { op: 'log-tail', code }, signal).catch(() => []);
    for (const l of tail) if (l) log.line(`[app] ${l}`);
    await rollback(c);
    throw e;
  }
  if (built.static) await ask(cfg, { op: 'static', code, dir: built.static.dir }, signal);
  const staticUrl = built.static?.url;
  await ask(cfg, { op: 'route', code, staticUrl }, signal, log);
  await waitRouted(cfg, code, prefix, true, signal);
  log.line(`${prefix} routed to 127.0.0.1:${port}`);
  await asUser(c, 'rm', ['-rf', '--', p.old], { quiet: true });
  await pruneVenvs(c, built);
  return built.language!;
}

/** Put back the previous version and program after a failed start (when there was one). */
async function rollback(c: AppCtx): Promise<void> {
  const { p, log, cfg, code } = c;
  const had = await asUser(c, 'test', ['-d', p.old], { quiet: true }).then(
    () => true,
    () => false,
  );
  if (!had) return;
  const signal = AbortSignal.timeout(30_000);
  if (!(await ask<boolean>(cfg, { op: 'restore-program', code }, signal))) return;
  log.line('restoring the previous version');
  await asUser(c, 'sh', ['-c', 'rm -rf -- "$1" && mv -T -- "$2" "$1"', 'restore', p.code, p.old], {
    quiet: true,
  });
  await ask(cfg, { op: 'start', code }, signal, log).catch((e: Error) => log.line(e.message));
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
