import { join } from 'node:path';
import type { Built } from './program';
import { type AppCtx, asUser, testAsUser } from './sandbox';

const PKG = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * How the app's Celery runs: `celery -A <pkg>` for the one top-level package holding `celery.py`
 * or `celery_app.py` (the Django convention), else the app's own `manage.py celery` command (the
 * legacy django-celery and blueapps form). Returns the argv prefix that `worker`/`beat` follow.
 */
async function celeryCommand(c: AppCtx, src: string, venv: string): Promise<string[]> {
  const found = (
    await asUser(
      c,
      'find',
      [
        src,
        '-mindepth',
        '2',
        '-maxdepth',
        '2',
        '-type',
        'f',
        '(',
        '-name',
        'celery.py',
        '-o',
        '-name',
        'celery_app.py',
        ')',
      ],
      { quiet: true },
    )
  )
    .split('\n')
    .filter(Boolean)
    .map((f) => f.slice(src.length + 1).split('/')[0]!)
    .filter((pkg, i, all) => all.indexOf(pkg) === i)
    .sort();
  if (found.length === 1 && PKG.test(found[0]!)) {
    if (!(await testAsUser(c, 'x', join(venv, 'bin/celery'))))
      throw new Error(
        `${found[0]}/ has a Celery app but celery is not installed: add celery to requirements.txt`,
      );
    return [join(venv, 'bin/celery'), '-A', found[0]!];
  }
  if (found.length > 1)
    throw new Error(`is_use_celery: expected one package with celery.py, found ${found.join(', ')}`);
  const python = join(venv, 'bin/python');
  if (
    (await testAsUser(c, 'f', join(src, 'manage.py'))) &&
    (await asUser(c, python, ['manage.py', 'help', 'celery'], { cwd: src, quiet: true }).then(
      () => true,
      () => false,
    ))
  )
    return [python, 'manage.py', 'celery'];
  throw new Error(
    'is_use_celery is set but the code has no Celery app: expected <package>/celery.py (run as celery -A <package>) or a manage.py celery command',
  );
}

/**
 * The worker (and beat) argv of a Python app that asked for Celery, as the legacy ran them: a
 * worker autoscaling 1–8 processes, beat keeping its schedule in the app's home (not in the code,
 * which the next deploy replaces). Gossip and mingle are off: one worker per app and environment.
 */
export async function celeryPrograms(
  c: AppCtx,
  src: string,
  venv: string,
  want: { worker: boolean; beat: boolean },
): Promise<Pick<Built, 'celery' | 'beat'>> {
  if (!want.worker) return {};
  const base = await celeryCommand(c, src, venv);
  c.log.line(`celery: worker${want.beat ? ' and beat' : ''} with ${base.slice(1).join(' ')}`);
  const out: Pick<Built, 'celery' | 'beat'> = {
    celery: [...base, 'worker', '--loglevel=INFO', '--autoscale=8,1', '--without-gossip', '--without-mingle'],
  };
  if (want.beat) {
    const dir = join(c.p.work, 'celery');
    await asUser(c, 'mkdir', ['-p', '--', dir], { quiet: true });
    out.beat = [...base, 'beat', '--loglevel=INFO', `--schedule=${join(dir, 'beat-schedule')}`, '--pidfile='];
  }
  return out;
}

/**
 * Wait until the worker answers a `ping` over the broker (its account, key prefix and ACL all
 * working); throws with the last answer when it does not within `seconds`.
 */
export async function waitWorker(c: AppCtx, b: Built, seconds = 40): Promise<string> {
  if (!b.celery) return '';
  const at = b.celery.indexOf('worker');
  const ping = [...b.celery.slice(1, at), 'inspect', 'ping', '--timeout=5'];
  const end = Date.now() + seconds * 1000;
  let last = '';
  while (Date.now() < end && !c.signal.aborted) {
    try {
      const out = await asUser(c, b.celery[0]!, ping, { cwd: b.directory, env: b.env, quiet: true });
      if (/pong/i.test(out)) return 'celery worker answered ping';
      last = out.trim().split('\n').slice(-3).join(' ');
    } catch (e) {
      last = (e as Error).message.trim().split('\n').slice(-3).join(' ');
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error(`the Celery worker did not answer a ping within ${seconds} s: ${last}`);
}
