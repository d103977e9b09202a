// The root helper's socket: a unix socket in a folder root:<group> 0750 (socket 0660), so only
// root and the agent's service user connect; each connection carries one checked request.
import { execFile } from 'node:child_process';
import { chmod, chown, lstat, mkdir, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import type { AgentConfig } from '../config';
import { perform } from './ops';
import { MAX_HEADER, type Reply, RequestSchema } from './protocol';

const sh = promisify(execFile);

/** The gid of a group name (`getent group`). */
async function gidOf(group: string): Promise<number> {
  const { stdout } = await sh('getent', ['group', group]);
  const gid = Number(stdout.split(':')[2]);
  if (!Number.isInteger(gid)) throw new Error(`expected the group ${group} to exist`);
  return gid;
}

/** What a rejected request is logged as: the op and code only (never env values or argv). */
const what = (raw: unknown): string => {
  const r = (raw ?? {}) as { op?: unknown; code?: unknown };
  return `${String(r.op).slice(0, 20)} ${String(r.code).slice(0, 40)}`;
};

function serve(cfg: AgentConfig, s: Socket, log: (l: string) => void): void {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new Error('helper time limit')), cfg.jobTimeoutSec * 1000);
  const input = new PassThrough();
  let header: Buffer = Buffer.alloc(0);
  let started = false;
  const send = (m: Reply) => {
    if (!s.destroyed) s.write(`${JSON.stringify(m)}\n`);
  };
  const end = (m: Reply) => {
    clearTimeout(timer);
    send(m);
    s.end();
  };
  s.on('close', () => {
    clearTimeout(timer);
    ac.abort(new Error('the agent closed the connection'));
    input.destroy();
  });
  s.on('error', () => undefined);
  s.on('end', () => input.end());
  s.on('data', (d: Buffer) => {
    if (started) {
      input.write(d);
      return;
    }
    header = Buffer.concat([header, d]);
    const nl = header.indexOf(10);
    if (nl < 0) {
      if (header.length > MAX_HEADER) end({ ok: false, error: 'request too long' });
      return;
    }
    started = true;
    const rest = header.subarray(nl + 1);
    if (rest.length) input.write(rest);
    let raw: unknown;
    try {
      raw = JSON.parse(header.subarray(0, nl).toString('utf8'));
    } catch {
      log('refused: not JSON');
      return end({ ok: false, error: 'expected one JSON request line' });
    }
    const req = RequestSchema.safeParse(raw);
    if (!req.success) {
      const why = req.error.issues.map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`).join('; ');
      log(`refused ${what(raw)}: ${why}`);
      return end({ ok: false, error: `refused: ${why}` });
    }
    const jobLog = { line: (l: string) => send({ line: l }), finish: async () => undefined };
    perform(cfg, req.data, { log: jobLog, signal: ac.signal, input }).then(
      (result) => {
        log(`${req.data.op} ${req.data.code}: ok`);
        end({ ok: true, result });
      },
      (e: Error) => {
        log(`${req.data.op} ${req.data.code}: ${e.message.split('\n')[0]}`);
        end({ ok: false, error: e.message });
      },
    );
  });
}

/** Listen on `cfg.helper.socket` (root only); resolves with the server. */
export async function startHelper(cfg: AgentConfig, log: (l: string) => void = console.log): Promise<Server> {
  if (!cfg.helper)
    throw new Error('agent config: expected helper.socket and helper.group for the root helper');
  if (process.getuid?.() !== 0) throw new Error('the agent helper must run as root (it makes app users)');
  const { socket, group } = cfg.helper;
  const gid = await gidOf(group);
  const dir = dirname(socket);
  await mkdir(dir, { recursive: true, mode: 0o750 });
  const st = await lstat(dir);
  if (!st.isDirectory()) throw new Error(`expected ${dir} to be a folder`);
  await chown(dir, 0, gid);
  await chmod(dir, 0o750);
  for (const d of [cfg.appsDir, cfg.logDir, cfg.supervisor.includeDir, cfg.nginx.includeDir])
    await mkdir(d, { recursive: true });
  await rm(socket, { force: true });
  const server = createServer({ allowHalfOpen: true }, (s) => serve(cfg, s, log));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => resolve());
  });
  await chown(socket, 0, gid);
  await chmod(socket, 0o660);
  log(`agent helper listening on ${socket} (group ${group})`);
  return server;
}
