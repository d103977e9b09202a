// The import gate of `npm test` (.dependency-cruiser.cjs) refuses each thing it is for, shown on a
// small tree laid out like the project's.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '..', '..');
let dir: string;

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(dir, 't-'));
  const all = {
    'tsconfig.json': '{"compilerOptions":{"module":"ESNext","moduleResolution":"bundler"}}',
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

/** Rule names the gate reports for a tree (as `npm run gate` prints them), and its exit code. */
async function gate(root: string): Promise<{ code: number; rules: string[] }> {
  const bin = join(REPO, 'node_modules', '.bin', 'depcruise');
  const args = [
    'lib',
    'src',
    'platform',
    'test',
    '--config',
    join(REPO, '.dependency-cruiser.cjs'),
    '-T',
    'err',
  ];
  const r = await run(process.execPath, [bin, ...args], { cwd: root }).then(
    (ok) => ({ code: 0, stdout: ok.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
  const rules = [...r.stdout.matchAll(/^\s*error ([a-z-]+):/gm)].map((m) => m[1]!);
  return { code: r.code, rules: rules.sort() };
}

const clean = {
  'lib/shared.ts': 'export const one = 1;\n',
  'src/main.ts': "import { one } from '../lib/shared';\nexport const a = one;\n",
  'platform/host.ts': "import { one } from '../lib/shared';\nexport const b = one;\n",
  'test/support/helper.ts': "import { a } from '../../src/main';\nexport const h = a;\n",
  'src/main.test.ts': "import { h } from '../test/support/helper';\nexport const t = h;\n",
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bkcec-gate-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('import gate', () => {
  it('passes a tree that keeps the rules', async () => {
    expect(await gate(await tree(clean))).toEqual({ code: 0, rules: [] });
  });

  it('fails on platform/ importing src/ and back, lib/ importing either, production code importing test support, and a cycle', async () => {
    const root = await tree({
      ...clean,
      'platform/bad.ts': "import { a } from '../src/main';\nexport const c = a;\n",
      'lib/bad.ts': "import { b } from '../platform/host';\nexport const d = b;\n",
      'src/uses-platform.ts': "import { b } from '../platform/host';\nexport const f = b;\n",
      'src/uses-support.ts': "import { h } from '../test/support/helper';\nexport const e = h;\n",
      'src/x.ts': "import { y } from './y';\nexport const x = () => y;\n",
      'src/y.ts': "import { x } from './x';\nexport const y = () => x;\n",
    });
    const r = await gate(root);
    expect(r.code).not.toBe(0);
    expect(r.rules).toEqual([
      'lib-stands-alone',
      'no-circular',
      'platform-not-src',
      'production-not-test-support',
      'src-not-platform',
    ]);
  });
});
