// S-mart packages of the sample apps for testbed tests: the app's requirements built into wheels
// once (pip wheel: some, such as mysqlclient, exist only as sources) and cached, then packed as
// `<code>/app.yml`, `<code>/src/…`, `<code>/pkgs/*.whl`.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GUNICORN } from '../../../platform/agent/runtime/python';
import { sampleFiles, tarball } from '../../support/agent/samples';

const sh = promisify(execFile);

/** Wheels of `requirements.txt` plus the agent's WSGI server, built once into `~/.cache/bkcec/wheels/<hash>`. */
export async function builtWheels(requirements: string): Promise<string> {
  const key = createHash('sha256').update(`${requirements}\n${GUNICORN}`).digest('hex').slice(0, 16);
  const dir = join(homedir(), '.cache/bkcec/wheels', `built-${key}`);
  if (existsSync(join(dir, '.ready'))) return dir;
  const tmp = `${dir}.${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await writeFile(join(tmp, 'requirements.txt'), requirements);
  await sh(
    '/usr/bin/python3',
    [
      '-m',
      'pip',
      'wheel',
      '--disable-pip-version-check',
      '-q',
      '-w',
      tmp,
      '-r',
      join(tmp, 'requirements.txt'),
      GUNICORN,
    ],
    { timeout: 400_000, maxBuffer: 16 << 20 },
  );
  await rm(join(tmp, 'requirements.txt'));
  await writeFile(join(tmp, '.ready'), '');
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  return dir;
}

/** The S-mart package of sample `name` as app `code` (app.yml from `appYml`), with its wheels. */
export async function smartPackage(
  work: string,
  name: string,
  code: string,
  appYml: string,
): Promise<Buffer> {
  const src = await sampleFiles(name);
  const wheels = await builtWheels(src['requirements.txt'] ?? '');
  const files: Record<string, string | Buffer> = { 'app.yml': appYml };
  for (const [f, body] of Object.entries(src)) files[`src/${f}`] = body;
  for (const w of await readdir(wheels))
    if (w.endsWith('.whl')) files[`pkgs/${w}`] = await readFile(join(wheels, w));
  return tarball(work, code, files);
}
