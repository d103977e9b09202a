import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { agentDir } from './agentfiles';
import { celeryPrograms } from './celery';
import type { Built } from './program';
import { type AppCtx, asUser, readAsUser, testAsUser } from './sandbox';

/** The WSGI server installed when the app's requirements do not bring one. */
export const GUNICORN = 'gunicorn==23.0.0';

const WSGI = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$/;

/** The WSGI callable: `wsgi:application` for a root wsgi.py, else `<pkg>.wsgi:application` of the one package that has it. */
async function wsgiModule(c: AppCtx, src: string): Promise<string> {
  if (await testAsUser(c, 'f', join(src, 'wsgi.py'))) return 'wsgi:application';
  const found = (
    await asUser(c, 'find', [src, '-mindepth', '2', '-maxdepth', '2', '-name', 'wsgi.py', '-type', 'f'], {
      quiet: true,
    })
  )
    .split('\n')
    .filter(Boolean)
    .map((f) => f.slice(src.length + 1, -'/wsgi.py'.length))
    .sort();
  if (found.length !== 1)
    throw new Error(
      found.length
        ? `expected one wsgi.py, found several (${found.join(', ')}); put wsgi.py at the root`
        : 'expected wsgi.py (with `application`) at the root of the code or in its Django project package, found none',
    );
  const m = `${found[0]}.wsgi:application`;
  if (!WSGI.test(m))
    throw new Error(`expected a Python package name for the WSGI module, got ${JSON.stringify(found[0])}`);
  return m;
}

/**
 * A virtualenv with the app's requirements, in `venvs/<hash>` (hash of requirements, Python, and
 * where pip installs from): reused when a deploy did not change them, made fresh otherwise so a
 * failing install never touches the running version's.
 */
async function venv(c: AppCtx, src: string, pkgs: string | undefined): Promise<string> {
  const req = (await readAsUser(c, join(src, 'requirements.txt'))) ?? '';
  const runtime = ((await readAsUser(c, join(src, 'runtime.txt'))) ?? '').trim();
  if (runtime && !/^python-3(\.\d+)*$/.test(runtime))
    throw new Error(
      `runtime.txt asks for ${JSON.stringify(runtime)}: this platform runs Python 3 apps only (python-3.x)`,
    );
  const version = (
    await asUser(c, c.cfg.pythonBin, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], {
      quiet: true,
    })
  ).trim();
  c.log.line(`python ${version} (${c.cfg.pythonBin})${runtime ? `, runtime.txt: ${runtime}` : ''}`);
  const from = pkgs
    ? ['--no-index', '--find-links', pkgs]
    : c.cfg.pypiIndex
      ? ['--index-url', c.cfg.pypiIndex]
      : [];
  // what the wheels are (names and sizes), not when they were unpacked: a new package with the same pkgs/ reuses the venv
  const wheels = pkgs
    ? (
        await asUser(c, 'find', [pkgs, '-maxdepth', '1', '-type', 'f', '-printf', '%f %s\\n'], {
          quiet: true,
        })
      )
        .split('\n')
        .sort()
        .join('\n')
    : '';
  const hash = createHash('sha256')
    .update(JSON.stringify([req, version, from, wheels, GUNICORN]))
    .digest('hex')
    .slice(0, 16);
  const dir = join(c.p.venvs, hash);
  if (await testAsUser(c, 'f', join(dir, '.bkcec-ready'))) {
    c.log.line(`requirements unchanged: reusing virtualenv ${hash}`);
    return dir;
  }
  await asUser(c, 'mkdir', ['-p', '--', c.p.venvs], { quiet: true });
  await asUser(c, 'rm', ['-rf', '--', dir], { quiet: true });
  c.log.line(`python -m venv venvs/${hash}`);
  await asUser(c, c.cfg.pythonBin, ['-m', 'venv', dir]);
  const pip = [
    join(dir, 'bin/python'),
    '-m',
    'pip',
    'install',
    '--disable-pip-version-check',
    '--no-input',
    '--progress-bar',
    'off',
    ...from,
  ];
  const pipEnv = { PIP_CACHE_DIR: join(c.p.work, '.cache/pip'), PIP_NO_WARN_SCRIPT_LOCATION: '1' };
  if (req.trim()) {
    c.log.line(
      `pip install -r requirements.txt${pkgs ? ' (offline, from pkgs/)' : c.cfg.pypiIndex ? ` (index ${c.cfg.pypiIndex})` : ''}`,
    );
    await asUser(c, pip[0]!, [...pip.slice(1), '-r', 'requirements.txt'], { cwd: src, env: pipEnv });
  }
  if (!(await testAsUser(c, 'x', join(dir, 'bin/gunicorn')))) {
    c.log.line(`pip install ${GUNICORN} (the app's requirements bring no WSGI server)`);
    await asUser(c, pip[0]!, [...pip.slice(1), GUNICORN], { cwd: src, env: pipEnv });
  }
  await asUser(c, 'touch', ['--', join(dir, '.bkcec-ready')], { quiet: true });
  return dir;
}

/**
 * Build a Python WSGI app in `src`: its virtualenv, then for Django (manage.py) `migrate` and,
 * when settings have STATIC_ROOT, `collectstatic`; Celery worker and beat when asked for. Served by gunicorn with SCRIPT_NAME set to the
 * URL prefix, so URL reversing and redirects include `/t|o/<code>`.
 */
export async function buildPython(
  c: AppCtx,
  src: string,
  pkgs: string | undefined,
  prefix: string,
  port: number,
  celery: { worker: boolean; beat: boolean } = { worker: false, beat: false },
): Promise<Built> {
  const dir = await venv(c, src, pkgs);
  const python = join(dir, 'bin/python');
  const scriptName = prefix.slice(0, -1);
  const env = {
    SCRIPT_NAME: scriptName,
    PYTHONPATH: join(agentDir(c.cfg), 'pycompat'),
    PYTHONUNBUFFERED: '1',
  };
  const built: Built = {
    directory: src,
    env,
    web: [
      join(dir, 'bin/gunicorn'),
      '--bind',
      `127.0.0.1:${port}`,
      '--workers',
      '2',
      '--access-logfile',
      '-',
      '--error-logfile',
      '-',
      '--chdir',
      src,
      await wsgiModule(c, src),
    ],
  };
  Object.assign(built, await celeryPrograms(c, src, dir, celery));
  if (await testAsUser(c, 'f', join(src, 'manage.py'))) {
    const manage = (args: string[], quiet = false) =>
      asUser(c, python, ['manage.py', ...args], { cwd: src, env, quiet });
    c.log.line('python manage.py migrate --noinput');
    await manage(['migrate', '--noinput']);
    c.log.line('python manage.py createcachetable');
    await manage(['createcachetable']);
    const probe = await manage(
      [
        'shell',
        '-c',
        "from django.conf import settings; print('BKCEC_STATIC=%s|%s' % (settings.STATIC_ROOT or '', settings.STATIC_URL or ''))",
      ],
      true,
    );
    const [root = '', url = ''] = (/BKCEC_STATIC=(.*)/.exec(probe)?.[1] ?? '').split('|');
    if (root) {
      c.log.line('python manage.py collectstatic --noinput');
      await manage(['collectstatic', '--noinput', '-v', '0']);
      const abs = root.startsWith('/') ? root : join(src, root);
      if (url.startsWith(prefix)) built.static = { dir: abs, url };
      else c.log.line(`STATIC_URL ${url} is outside ${prefix}: static files not served by the agent`);
    }
  }
  return built;
}
