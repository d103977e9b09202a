// Test helpers: an "agent host" in a temp dir (the bkcec supervisor layout with a real supervisord,
// a real nginx including the agent's location dir), a running agent, and sample apps in bare git repos.
import { execFile } from 'node:child_process';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type AgentConfig, parseAgentConfig } from '../../../platform/agent/config';
import { enroll } from '../../../platform/agent/enroll';
import { startHelper } from '../../../platform/agent/helper/server';
import { JobRunner } from '../../../platform/agent/jobs/queue';
import { buildAgentServer } from '../../../platform/agent/server';
import { supervisordConf } from '../../../src/modules/common/supervisor';
import { freePort, tempDir, waitFor } from '../ports';
import { startDaemon } from '../process';

const sh = promisify(execFile);

/** A running agent with its supervisord and nginx. */
export interface AgentHost {
  dir: string;
  cfg: AgentConfig;
  /** Agent API port and app nginx port on 127.0.0.1. */
  agentPort: number;
  webPort: number;
  jobs: JobRunner;
  stop(): Promise<void>;
}

function nginxConf(dir: string, port: number): string {
  return `daemon off; master_process on; worker_processes 1;
${process.getuid?.() === 0 ? 'user root root;' : ''}
pid ${dir}/run/nginx.pid; error_log ${dir}/logs/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log ${dir}/logs/nginx-access.log;
  client_body_temp_path ${dir}/run/body; proxy_temp_path ${dir}/run/proxy; fastcgi_temp_path ${dir}/run/fcgi;
  uwsgi_temp_path ${dir}/run/uwsgi; scgi_temp_path ${dir}/run/scgi;
  server {
    listen 127.0.0.1:${port};
    include ${dir}/etc/nginx/apps/*.conf;
    location / { return 404; }
  }
}
`;
}

/** An agent host of `mode` registered with the appengine at `engineUrl` (as `bkcec initdata appo|appt` does). */
export async function startEnrolledAgentHost(
  mode: 'test' | 'prod',
  engineUrl: string,
  esbToken: string,
  over: Partial<AgentConfig> = {},
): Promise<AgentHost> {
  const h = await startAgentHost(mode, engineUrl, over);
  await enroll(h.cfg, { engineUrl, esbToken, ip: '127.0.0.1', agentPort: h.agentPort, webPort: h.webPort });
  return h;
}

/** Start supervisord + nginx in a temp INSTALL_PATH and an agent of `mode` reporting to `controllerUrl`. */
export async function startAgentHost(
  mode: 'test' | 'prod',
  controllerUrl: string,
  over: Partial<AgentConfig> = {},
): Promise<AgentHost> {
  const dir = await tempDir(`agent-${mode}`);
  await chmod(dir, 0o755); // app users traverse to their folders under apps/
  for (const d of ['etc/supervisor.d', 'etc/nginx/apps', 'run', 'logs', 'apps']) {
    await mkdir(join(dir, d), { recursive: true });
    await chmod(join(dir, d), 0o755); // as the modules make them, whatever the umask
  }
  const conf = join(dir, 'etc/supervisord.conf');
  await writeFile(conf, supervisordConf({ INSTALL_PATH: dir }));
  await sh('supervisord', ['-c', conf]);
  const ctl = (...a: string[]) => sh('supervisorctl', ['-c', conf, ...a]);
  await waitFor('supervisord', async () => Boolean(await ctl('pid')), 10_000);
  const webPort = await freePort();
  await writeFile(join(dir, 'etc/nginx.conf'), nginxConf(dir, webPort));
  const nginx = startDaemon('nginx', ['-c', join(dir, 'etc/nginx.conf')], join(dir, 'logs/nginx.out'));
  await waitFor('nginx', async () => (await fetch(`http://127.0.0.1:${webPort}/`)).status === 404, 10_000);
  const base = 52000 + Math.floor(Math.random() * 10000);
  const cfg = parseAgentConfig(
    {
      sid: crypto.randomUUID(),
      token: crypto.randomUUID(),
      controllerUrl,
      mode,
      listen: { host: '127.0.0.1', port: 0 },
      allowFrom: ['127.0.0.1'],
      // app users of this test host only (tests of other files may deploy the same codes)
      userPrefix: `t${Math.random().toString(36).slice(2, 6)}-`,
      appsDir: join(dir, 'apps'),
      logDir: join(dir, 'logs/apps'),
      nodeBin: process.execPath,
      npmCli: '/usr/lib/node_modules/npm/bin/npm-cli.js',
      supervisor: { conf, includeDir: join(dir, 'etc/supervisor.d') },
      nginx: { conf: join(dir, 'etc/nginx.conf'), includeDir: join(dir, 'etc/nginx/apps'), port: webPort },
      // the root helper on its socket, as on a host (the group that may call it: root here)
      helper: { socket: join(dir, 'run/helper/helper.sock'), group: 'root' },
      ports: { from: base, to: base + 50 },
      jobTimeoutSec: 60,
      healthTimeoutSec: 8,
      ...over,
    },
    'test agent config',
  );
  const helper = await startHelper(cfg, () => undefined);
  const jobs = new JobRunner(cfg);
  const app = buildAgentServer(cfg, jobs);
  const url = await app.listen({ host: '127.0.0.1', port: cfg.listen.port });
  return {
    dir,
    cfg,
    agentPort: Number(new URL(url).port),
    webPort,
    jobs,
    async stop() {
      await app.close();
      await jobs.idle();
      await new Promise((r) => helper.close(r));
      await ctl('shutdown').catch(() => undefined);
      await removeUsers(cfg.userPrefix!);
      await nginx.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Remove the app users a test host made (`<prefix>*` in /etc/passwd), their processes first. */
async function removeUsers(prefix: string): Promise<void> {
  const { stdout } = await sh('getent', ['passwd']);
  for (const line of stdout.split('\n')) {
    const [name, , uid] = line.split(':');
    if (!name?.startsWith(prefix) || !uid) continue;
    await sh('pkill', ['-KILL', '-U', uid]).catch(() => undefined);
    await sh('userdel', [name]).catch(() => undefined);
  }
}

/** Files of a Node.js app without dependencies that prints its env at its URL prefix. */
export function sampleApp(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'package.json': JSON.stringify({ name: 'sample', version: '1.0.0', main: 'index.js' }),
    'index.js': `const http = require('node:http');
const prefix = process.env.BK_SITE_URL;
http.createServer((req, res) => {
  if (!req.url.startsWith(prefix)) { res.statusCode = 404; return res.end('outside ' + prefix + '\\n'); }
  res.setHeader('content-type', 'application/json');
  const e = process.env;
  res.end(JSON.stringify({ APP_ID: e.APP_ID, BK_PAAS_HOST: e.BK_PAAS_HOST, BK_PAAS_INNER_HOST: e.BK_PAAS_INNER_HOST,
    BK_ENV: e.BK_ENV, uid: process.getuid(), BKAPP_GREETING: e.BKAPP_GREETING, VERSION: e.VERSION_OVERRIDE || ${JSON.stringify(extra.VERSION ?? 'v1')}, path: req.url }));
}).listen(Number(process.env.PORT), '127.0.0.1');
`,
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'VERSION')),
  };
}

/** A bare git repository holding `files` as one commit; returns its path (usable as a git URL). */
export async function bareRepo(root: string, name: string, files: Record<string, string>): Promise<string> {
  await mkdir(root, { recursive: true });
  const work = join(root, `${name}-work`);
  const bare = join(root, `${name}.git`);
  await mkdir(work, { recursive: true });
  for (const [f, body] of Object.entries(files)) {
    await mkdir(join(work, f, '..'), { recursive: true });
    await writeFile(join(work, f), body);
  }
  const git = (cwd: string, ...a: string[]) =>
    sh(
      'git',
      ['-c', 'user.name=bkcec', '-c', 'user.email=bkcec@localhost', '-c', 'init.defaultBranch=master', ...a],
      { cwd },
    );
  await git(root, 'init', '--quiet', '--bare', bare);
  await git(work, 'init', '--quiet');
  await git(work, 'add', '-A');
  await git(work, 'commit', '--quiet', '-m', 'sample');
  await git(work, 'push', '--quiet', bare, 'HEAD:master');
  await rm(work, { recursive: true, force: true });
  return bare;
}

/** `git daemon` exporting the bare repos under `root` on 127.0.0.1 (git:// URLs, as paas accepts). */
export async function startGitDaemon(
  root: string,
): Promise<{ url(name: string): string; stop(): Promise<void> }> {
  const port = await freePort();
  const d = startDaemon(
    'git',
    [
      'daemon',
      '--export-all',
      '--reuseaddr',
      '--listen=127.0.0.1',
      `--port=${port}`,
      `--base-path=${root}`,
      root,
    ],
    join(root, 'git-daemon.log'),
  );
  await waitFor('git daemon', async () => {
    if (d.exited()) throw new Error(`git daemon exited; see ${root}/git-daemon.log`);
    await sh('git', ['ls-remote', `git://127.0.0.1:${port}/none.git`]).catch((e: { stderr?: string }) => {
      if (!/not exported|does not appear|Could not read/.test(e.stderr ?? '')) throw e;
    });
    return true;
  });
  return { url: (name) => `git://127.0.0.1:${port}/${name}.git`, stop: () => d.stop() };
}
