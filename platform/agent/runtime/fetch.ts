import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { agentDir } from './agentfiles';
import { type AppCtx, asUser } from './sandbox';

/** Where the code comes from: a git URL (with optional credentials) or a package URL + md5. */
export type Source =
  | { kind: 'git'; url: string; username?: string; password?: string }
  | { kind: 'package'; url: string; md5: string };

/**
 * Clone as the app's user into `dest`. Credentials go through GIT_ASKPASS and the environment,
 * never the command line or the URL; prompts are off; only network transports are allowed (no
 * file:// or ext:: for the clone, its redirects or submodules).
 */
export async function gitClone(
  c: AppCtx,
  src: Extract<Source, { kind: 'git' }>,
  dest: string,
): Promise<void> {
  const askpass = join(agentDir(c.cfg), 'askpass.sh');
  c.log.line(`git clone ${src.url.replace(/\/\/[^@/]*@/, '//')}`);
  await asUser(c, c.cfg.gitBin, ['clone', '--quiet', '--single-branch', '--', src.url, dest], {
    env: {
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: askpass,
      GIT_ALLOW_PROTOCOL: 'http:https:git:ssh',
      GIT_CONFIG_NOSYSTEM: '1',
      BKCEC_GIT_USERNAME: src.username ?? '',
      BKCEC_GIT_PASSWORD: src.password ?? '',
    },
  });
  await asUser(c, 'rm', ['-rf', '--', join(dest, '.git')], { quiet: true });
}

/**
 * Download a tar.gz (relative URLs are on the controller), check its md5, and unpack it as the
 * app's user into `dest` (its tar reads the download from stdin); a package with one top folder is
 * unpacked from inside it.
 */
export async function fetchPackage(
  c: AppCtx,
  src: Extract<Source, { kind: 'package' }>,
  dest: string,
): Promise<void> {
  const { cfg, log } = c;
  const onController = !/^https?:\/\//.test(src.url);
  const url = onController ? `${cfg.controllerUrl}${src.url.startsWith('/') ? '' : '/'}${src.url}` : src.url;
  log.line(`download ${url.split('?')[0]}`);
  // packages stored by appengine are served to registered agents only
  const headers: Record<string, string> = onController ? { 'x-id': cfg.sid, 'x-token': cfg.token } : {};
  const r = await fetch(url, { signal: c.signal, headers });
  if (!r.ok) throw new Error(`expected HTTP 200 for the package ${url.split('?')[0]}, got HTTP ${r.status}`);
  const body = Buffer.from(await r.arrayBuffer());
  const md5 = createHash('md5').update(body).digest('hex');
  if (src.md5 && md5 !== src.md5.toLowerCase())
    throw new Error(`package md5 mismatch: expected ${src.md5}, got ${md5}`);
  const unpack = join(c.p.work, '.unpack');
  log.line(`unpack ${body.length} bytes (md5 ${md5})`);
  await asUser(c, 'rm', ['-rf', '--', unpack], { quiet: true });
  await asUser(c, 'mkdir', ['-m', '0700', '--', unpack], { quiet: true });
  // the user's tar reads the checked download from stdin: it never lands in a folder of root's
  await asUser(c, 'tar', ['-xzf', '-', '-C', unpack, '--no-same-owner', '--no-same-permissions'], {
    stdin: body,
  });
  const top = (await asUser(c, 'ls', ['-A', '--', unpack], { quiet: true })).split('\n').filter(Boolean);
  const one = top.length === 1 ? join(unpack, top[0]!) : '';
  const from =
    one &&
    (await asUser(c, 'test', ['-d', one, '-a', '!', '-L', one], { quiet: true }).then(
      () => true,
      () => false,
    ))
      ? one
      : unpack;
  await asUser(c, 'mv', ['-T', '--', from, dest], { quiet: true });
  await asUser(c, 'rm', ['-rf', '--', unpack], { quiet: true });
}
