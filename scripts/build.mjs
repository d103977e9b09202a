// Builds the package directory that `bkcec sync` ships (default dist/pkg):
//   node/bin/node            the platform's own Node.js runtime (this machine's node binary), with npm
//   consul/consul            CONSUL_BIN, else `consul` on PATH, else tools/get-consul builds it
//   license/main.mjs, open_paas/<project>/main.mjs, open_paas/manage.mjs, agent/main.mjs  one-file bundles
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.env.BKCEC_PKG ?? join(repo, 'dist', 'pkg'));

const programs = [
  ['platform/license/main.ts', 'license/main.mjs'],
  ['platform/paas/login/main.ts', 'open_paas/login/main.mjs'],
  ['platform/paas/paas/main.ts', 'open_paas/paas/main.mjs'],
  ['platform/paas/esb/main.ts', 'open_paas/esb/main.mjs'],
  ['platform/paas/appengine/main.ts', 'open_paas/appengine/main.mjs'],
  ['platform/paas/manage.ts', 'open_paas/manage.mjs'],
  ['platform/agent/main.ts', 'agent/main.mjs'],
].filter(([src]) => existsSync(join(repo, src)));

/** Copies a file only when size or mtime differ, keeping mtime so sync fingerprints stay stable. */
function copyIfChanged(from, to, mode) {
  mkdirSync(dirname(to), { recursive: true });
  const a = statSync(from);
  const b = existsSync(to) ? statSync(to) : undefined;
  if (b && b.size === a.size && Math.trunc(b.mtimeMs) === Math.trunc(a.mtimeMs)) return;
  copyFileSync(from, to);
  chmodSync(to, mode);
  execFileSync('touch', ['-r', from, to]);
}

function consulBinary() {
  if (process.env.CONSUL_BIN) return process.env.CONSUL_BIN;
  try {
    return execFileSync('bash', ['-c', 'command -v consul'], { encoding: 'utf8' }).trim();
  } catch {
    return execFileSync(join(repo, 'tools', 'get-consul'), {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
  }
}

copyIfChanged(process.execPath, join(out, 'node', 'bin', 'node'), 0o755);
// npm travels with the runtime: app agents install deployed apps' dependencies with it.
const npmDir = join(execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim(), 'npm');
if (existsSync(join(npmDir, 'bin', 'npm-cli.js'))) {
  mkdirSync(join(out, 'node', 'lib', 'node_modules'), { recursive: true });
  execFileSync('rsync', ['-a', '--delete', `${npmDir}/`, join(out, 'node', 'lib', 'node_modules', 'npm')]);
} else
  console.warn(`build: npm not found at ${npmDir}; app agents will deploy only apps without dependencies`);
copyIfChanged(consulBinary(), join(out, 'consul', 'consul'), 0o755);
// The /download/ miniweb of nginx hosts: the functions library and the scripts hosts fetch.
execFileSync('rsync', ['-a', '--delete', `${join(repo, 'platform', 'miniweb')}/`, join(out, 'miniweb')]);
await Promise.all(
  programs.map(([src, dst]) =>
    build({
      entryPoints: [join(repo, src)],
      outfile: join(out, dst),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      legalComments: 'none',
      logLevel: 'warning',
      banner: {
        js: "import { createRequire as __bkcecRequire } from 'node:module'; const require = __bkcecRequire(import.meta.url);",
      },
    }),
  ),
);
// The controller itself, bundled for a fast start (bin/bkcec.mjs uses it while it is fresh);
// npm dependencies stay external and load from node_modules. Templates are read from src/.
await build({
  entryPoints: [join(repo, 'src', 'cli', 'main.ts')],
  outfile: join(repo, 'dist', 'cli', 'bkcec.mjs'),
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
console.log(`package directory: ${out} (${programs.length} programs, node, consul)`);
