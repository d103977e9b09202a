import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { AgentConfig } from '../config';
import type { AppPaths } from './layout';

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** The port recorded in an app's port file, when it has one. */
export async function portOf(file: string): Promise<number | undefined> {
  const n = Number((await readFile(file, 'utf8').catch(() => '')).trim());
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

let lock: Promise<unknown> = Promise.resolve();

/**
 * The app's local port: the one it had (kept across deploys so nginx needs no change), else the
 * first port of the range that no other app holds and nothing listens on. Jobs of different apps
 * run at the same time, so choices are made one after another.
 */
export function appPort(cfg: AgentConfig, p: AppPaths): Promise<number> {
  const next = lock.then(() => choosePort(cfg, p));
  lock = next.catch(() => undefined);
  return next;
}

async function choosePort(cfg: AgentConfig, p: AppPaths): Promise<number> {
  const mine = await portOf(p.portFile);
  if (mine) return mine;
  const taken = new Set<number>();
  for (const d of await readdir(cfg.appsDir).catch(() => [] as string[])) {
    const n = await portOf(join(cfg.appsDir, d, 'port'));
    if (n) taken.add(n);
  }
  for (let port = cfg.ports.from; port <= cfg.ports.to; port++) {
    if (taken.has(port) || !(await bindable(port))) continue;
    await writeFile(p.portFile, `${port}\n`);
    return port;
  }
  throw new Error(`no free app port left in ${cfg.ports.from}-${cfg.ports.to}`);
}
