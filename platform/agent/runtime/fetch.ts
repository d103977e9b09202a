import { createHash } from 'node:crypto';
import { chmod, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentConfig } from '../config';
import { run } from '../jobs/exec';
import type { JobLog } from '../jobs/reporter';
import { toolEnv } from './layout';

/** Where the code comes from: a git URL (with optional credentials) or a package URL + md5. */
export type Source =
  | { kind: 'git'; url: string; username?: string; password?: string }
  | { kind: 'package'; url: string; md5: string };

/**
 * Clone with the host's git into `dest`. Credentials go through GIT_ASKPASS and the environment,
 * never the command line or the URL; prompts are off so a wrong password fails at once.
 */
export async function gitClone(
  cfg: AgentConfig,
  src: Extract<Source, { kind: 'git' }>,
  dest: string,
  scratch: string,
  log: JobLog,
  signal: AbortSignal,
): Promise<void> {
  const askpass = join(scratch, 'askpass.sh');
  await writeFile(
    askpass,
    '#!/bin/sh\ncase "$1" in Username*) printf %s "$BKCEC_GIT_USERNAME";; *) printf %s "$BKCEC_GIT_PASSWORD";; esac\n',
  );
  await chmod(askpass, 0o700);
  const env = toolEnv(cfg, {
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: askpass,
    BKCEC_GIT_USERNAME: src.username ?? '',
    BKCEC_GIT_PASSWORD: src.password ?? '',
  });
  log.line(`git clone ${src.url.replace(/\/\/[^@/]*@/, '//')}`);
  await run(cfg.gitBin, ['clone', '--quiet', '--single-branch', '--', src.url, dest], { env, signal, log });
  await rm(join(dest, '.git'), { recursive: true, force: true });
}

/**
 * Download a tar.gz (relative URLs are on the controller), check its md5, unpack into `dest`; a
 * package with one top folder is unpacked from inside it.
 */
export async function fetchPackage(
  cfg: AgentConfig,
  src: Extract<Source, { kind: 'package' }>,
  dest: string,
  scratch: string,
  log: JobLog,
  signal: AbortSignal,
): Promise<void> {
  const url = /^https?:\/\//.test(src.url)
    ? src.url
    : `${cfg.controllerUrl}${src.url.startsWith('/') ? '' : '/'}${src.url}`;
  log.line(`download ${url.split('?')[0]}`);
  const r = await fetch(url, { signal });
  if (!r.ok) throw new Error(`expected HTTP 200 for the package ${url.split('?')[0]}, got HTTP ${r.status}`);
  const body = Buffer.from(await r.arrayBuffer());
  const md5 = createHash('md5').update(body).digest('hex');
  if (src.md5 && md5 !== src.md5.toLowerCase())
    throw new Error(`package md5 mismatch: expected ${src.md5}, got ${md5}`);
  const tgz = join(scratch, 'package.tar.gz');
  const unpack = join(scratch, 'unpack');
  await writeFile(tgz, body);
  await mkdir(unpack, { recursive: true });
  log.line(`unpack ${body.length} bytes (md5 ${md5})`);
  await run('tar', ['-xzf', tgz, '-C', unpack, '--no-same-owner'], { env: toolEnv(cfg), signal, log });
  const top = await readdir(unpack, { withFileTypes: true });
  const root = top.length === 1 && top[0]!.isDirectory() ? join(unpack, top[0]!.name) : unpack;
  await rename(root, dest);
}
