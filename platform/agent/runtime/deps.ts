import { join } from 'node:path';
import type { Built } from './program';
import { type AppCtx, asUser, readAsUser, testAsUser } from './sandbox';

/** `main` of package.json: a relative path of plain characters inside the app. */
const ENTRY = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/-]+$/;

/**
 * Build a Node.js app in `src`: read package.json (entry: `main`, else index.js, server.js,
 * app.js), and when it has dependencies `npm ci|install --omit=dev` as the app's user with the
 * platform's node. An app without dependencies never calls npm (works offline).
 */
export async function buildNode(c: AppCtx, src: string, prefix: string): Promise<Built> {
  const text = await readAsUser(c, join(src, 'package.json'));
  let pkg: { name?: string; main?: unknown; dependencies?: Record<string, string> };
  try {
    pkg = JSON.parse(text ?? '');
  } catch (e) {
    throw new Error(
      `expected a Node.js app with a readable package.json at its root: ${(e as Error).message}`,
    );
  }
  if (pkg.main !== undefined && (typeof pkg.main !== 'string' || !ENTRY.test(pkg.main)))
    throw new Error(
      `package.json main: expected a relative path of letters, digits and ._/-, got ${JSON.stringify(pkg.main)}`,
    );
  const candidates = pkg.main ? [pkg.main as string] : ['index.js', 'server.js', 'app.js'];
  let entry = '';
  for (const f of candidates) if (!entry && (await testAsUser(c, 'f', join(src, f)))) entry = f;
  if (!entry) throw new Error(`expected the entry file ${candidates.join(' or ')} in the app, found none`);
  c.log.line(`app ${pkg.name || c.code}: entry ${entry}`);
  const { cfg } = c;
  if (Object.keys(pkg.dependencies ?? {}).length === 0)
    c.log.line('no dependencies in package.json: npm not needed');
  else {
    if (!cfg.npmCli)
      throw new Error('the app has dependencies but npm is not installed on this agent (npmCli not set)');
    const lock =
      (await testAsUser(c, 'f', join(src, 'package-lock.json'))) ||
      (await testAsUser(c, 'f', join(src, 'npm-shrinkwrap.json')));
    const args = [
      cfg.npmCli,
      lock ? 'ci' : 'install',
      '--omit=dev',
      '--no-audit',
      '--no-fund',
      '--no-update-notifier',
    ];
    c.log.line(`npm ${args.slice(1).join(' ')}`);
    const extra: Record<string, string> = { npm_config_cache: join(c.p.work, '.npm') };
    if (cfg.npmRegistry) extra.npm_config_registry = cfg.npmRegistry;
    await asUser(c, cfg.nodeBin, args, { cwd: src, env: extra });
  }
  return {
    directory: src,
    web: [cfg.nodeBin, join(src, entry)],
    env: { NODE_ENV: 'production', BK_SITE_URL: prefix },
  };
}
