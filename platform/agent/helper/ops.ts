// The root helper's operations. Each takes one app code and derives everything else from it and
// from the helper's own config: the app's user (never root, never a login account), its paths,
// its port. Nothing the agent sends names a user, a file to write or a command to run as root.
import { chmod, chown, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { type AgentConfig, urlPrefix } from '../config';
import { run } from '../jobs/exec';
import type { JobLog } from '../jobs/reporter';
import { writeAgentFiles } from '../runtime/agentfiles';
import { type AppPaths, appPaths, safePath } from '../runtime/layout';
import { locationConf, testAndReload } from '../runtime/nginx';
import { reachable, rootDir, userDir } from '../runtime/owned';
import { appPort, portOf } from '../runtime/ports';
import { programConf } from '../runtime/program';
import { type AppCtx, spawnAs, spawnAsUser } from '../runtime/sandbox';
import { publishStatic } from '../runtime/statics';
import { ctl, envFile, programState, startProgram } from '../runtime/supervisor';
import { type AppUser, appUser, appUserName, ensureAppUser, removeAppUser } from '../runtime/users';
import type { ParsedRequest } from './protocol';

/** What an operation gets besides its request: where its lines go, its abort signal, its stdin. */
export interface OpCtx {
  log: JobLog;
  signal: AbortSignal;
  input: Readable;
}

/** Write a root-owned file atomically unless it already holds `content`; returns the previous content. */
async function replace(file: string, content: string, mode = 0o644, gid = 0): Promise<string> {
  const before = await readFile(file, 'utf8').catch(() => '');
  if (before !== content) {
    await rm(`${file}.tmp`, { force: true });
    await writeFile(`${file}.tmp`, content, { mode: 0o600, flag: 'wx' });
    await rename(`${file}.tmp`, file);
  }
  await chown(file, 0, gid);
  await chmod(file, mode);
  return before;
}

/** A path inside the app's work tree (plain characters, no `..`): what builds may name. */
function inWork(p: AppPaths, path: string, what: string): string {
  safePath(path, what);
  if (path !== p.work && !path.startsWith(`${p.work}/`))
    throw new Error(`${what}: expected a path inside ${p.work}, got ${JSON.stringify(path)}`);
  return path;
}

/** The app's context inside the helper: commands run as its user by a setuid spawn. */
function appCtx(cfg: AgentConfig, code: string, user: AppUser, o: OpCtx): AppCtx {
  const c: Omit<AppCtx, 'exec'> = {
    cfg,
    code,
    user,
    p: appPaths(cfg, code),
    log: o.log,
    signal: o.signal,
    env: {},
  };
  return { ...c, exec: (cmd, args, r) => spawnAsUser(c, cmd, args, r) };
}

const prev = (p: AppPaths) => `${p.program}.prev`;

/** Run one validated request; resolves with its result. */
export async function perform(cfg: AgentConfig, req: ParsedRequest, o: OpCtx): Promise<unknown> {
  const { code } = req;
  const p = appPaths(cfg, code);
  switch (req.op) {
    case 'prepare': {
      await rootDir(cfg.appsDir, 0o755);
      await rootDir(cfg.logDir, 0o711); // app users pass through to their own folder, list nothing
      await rootDir(p.home, 0o755, true); // nginx reads static/ below it
      await writeAgentFiles(cfg);
      const user = await ensureAppUser(cfg, code, p.work);
      for (const d of [p.work, p.appLogDir]) {
        await userDir(d, user);
        await reachable(d, user);
      }
      return { user, port: await appPort(cfg, p) };
    }
    case 'env': {
      const user = await appUser(cfg, code);
      await replace(p.envFile, envFile(req.env), 0o640, user.gid);
      return undefined;
    }
    case 'run': {
      const user = await appUser(cfg, code);
      const [cmd, ...args] = req.argv as [string, ...string[]];
      if (cmd.includes('=') || cmd.startsWith('-'))
        throw new Error(`run: expected a command name or path, got ${JSON.stringify(cmd)}`);
      const cwd = inWork(p, req.cwd ?? p.work, 'run: folder');
      const c = { cfg, code, user, p, log: o.log, signal: o.signal, env: req.env };
      await spawnAs(c, cmd, args, { cwd, input: req.stdin ? o.input : undefined });
      return undefined;
    }
    case 'program': {
      const user = await appUser(cfg, code);
      const b = req.built;
      for (const argv of [b.web, b.celery, b.beat])
        if (argv?.[0]?.startsWith(p.work)) inWork(p, argv[0], 'program');
      const before = await replace(p.program, programConf(cfg, code, p, user, b));
      if (before) await writeFile(prev(p), before, { mode: 0o600 });
      else await rm(prev(p), { force: true });
      return undefined;
    }
    case 'restore-program': {
      const had = await stat(prev(p)).then(
        () => true,
        () => false,
      );
      if (had) await rename(prev(p), p.program);
      return had;
    }
    case 'start':
      await startProgram(cfg, code, o.log, o.signal);
      return undefined;
    case 'status':
      return programState(cfg, code, o.signal);
    case 'log-tail':
      return (await readFile(p.logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-10);
    case 'static': {
      const dir = inWork(p, req.dir, 'static folder');
      return publishStatic(appCtx(cfg, code, await appUser(cfg, code), o), dir);
    }
    case 'route': {
      const port = await portOf(p.portFile);
      if (!port) throw new Error(`route: app ${code} has no port on this host (not prepared)`);
      const prefix = urlPrefix(cfg, code);
      if (req.staticUrl !== undefined && !req.staticUrl.startsWith(prefix))
        throw new Error(
          `route: expected the static URL below ${prefix}, got ${JSON.stringify(req.staticUrl)}`,
        );
      const stat = req.staticUrl ? { dir: p.static, url: req.staticUrl } : undefined;
      const loc = await replace(p.location, locationConf(code, prefix, port, stat));
      try {
        await testAndReload(cfg, o.log, o.signal);
      } catch (e) {
        if (loc) await writeFile(p.location, loc);
        else await rm(p.location, { force: true });
        throw new Error(`nginx refused the new location, previous routing kept: ${(e as Error).message}`);
      }
      return port;
    }
    case 'unroute':
      await rm(p.location, { force: true });
      await testAndReload(cfg, o.log, o.signal);
      return undefined;
    case 'remove':
      await remove(cfg, code, p, o);
      return undefined;
  }
}

const SYS = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' };

/** Stop and drop the programs, end what the user still runs, delete its files as that user, then the rest. */
async function remove(cfg: AgentConfig, code: string, p: AppPaths, o: OpCtx): Promise<void> {
  const { log, signal } = o;
  await ctl(cfg, ['stop', `app-${code}:*`], signal).catch(() => undefined);
  await rm(p.program, { force: true });
  await rm(prev(p), { force: true });
  const out = await ctl(cfg, ['update', `app-${code}`], signal).catch((e: Error) => e.message);
  log.line(out.trim() || `app-${code}: not known to supervisor`);
  const user = await appUser(cfg, code).catch(() => undefined);
  if (user) {
    // whatever the app left running (daemonized children) ends with it
    await run('pkill', ['-KILL', '-U', String(user.uid)], { env: SYS, signal }).catch(() => undefined);
    for (const d of [p.work, p.appLogDir])
      await run('find', [d, '-mindepth', '1', '-delete'], { env: SYS, signal, user }).catch((e: Error) =>
        log.line(e.message),
      );
  }
  await rm(p.home, { recursive: true, force: true });
  await rm(p.appLogDir, { recursive: true, force: true });
  await rm(p.logFile, { force: true });
  await removeAppUser(cfg, code);
  log.line(`${code}: files and user ${appUserName(cfg, code)} removed`);
}
