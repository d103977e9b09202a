import { join } from 'node:path';
import { parse } from 'yaml';
import { type AppCtx, readAsUser, testAsUser } from './sandbox';

export type Language = 'python' | 'nodejs';

/** What a fetched version is: its language, the folder holding the code, and S-mart wheels. */
export interface Detected {
  language: Language;
  /** Why the language was chosen (for the log and for mismatch messages). */
  because: string;
  /** The code: the checkout itself, or `src/` of an S-mart package. */
  src: string;
  /** `pkgs/` of an S-mart package (pip installs from it with no index), when present. */
  pkgs?: string;
}

/**
 * Look at a fetched version in `root`: an S-mart package (`app.yml` + `src/`) takes its language
 * from app.yml (default python); other code from its files (requirements.txt, runtime.txt,
 * manage.py or wsgi.py → python; package.json → nodejs). When the developer center registered a
 * language (`expected`), a different one fails the build naming both.
 */
export async function detect(c: AppCtx, root: string, expected: string): Promise<Detected> {
  let d: Detected;
  const yml = await readAsUser(c, join(root, 'app.yml'));
  if (yml !== undefined && (await testAsUser(c, 'd', join(root, 'src')))) {
    let meta: { app_code?: unknown; language?: unknown };
    try {
      meta = (parse(yml) ?? {}) as typeof meta;
    } catch (e) {
      throw new Error(`app.yml: expected YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    if (meta.app_code !== undefined && String(meta.app_code) !== c.code)
      throw new Error(`app.yml: expected app_code ${c.code}, found ${JSON.stringify(meta.app_code)}`);
    const lang = String(meta.language ?? 'python').toLowerCase();
    if (lang !== 'python' && lang !== 'nodejs')
      throw new Error(`app.yml: expected language python or nodejs, found ${JSON.stringify(meta.language)}`);
    const pkgs = join(root, 'pkgs');
    d = {
      language: lang,
      because: `app.yml says language: ${lang}`,
      src: join(root, 'src'),
      pkgs: (await testAsUser(c, 'd', pkgs)) ? pkgs : undefined,
    };
  } else {
    const has = async (f: string) => testAsUser(c, 'f', join(root, f));
    const py = [];
    for (const f of ['requirements.txt', 'runtime.txt', 'manage.py', 'wsgi.py']) if (await has(f)) py.push(f);
    if (py.length) d = { language: 'python', because: `${py.join(', ')} found`, src: root };
    else if (await has('package.json')) d = { language: 'nodejs', because: 'package.json found', src: root };
    else
      throw new Error(
        'expected a Python app (requirements.txt, runtime.txt, manage.py or wsgi.py) or a Node.js app (package.json) at the root of the code, found neither',
      );
  }
  if (expected && expected !== d.language)
    throw new Error(
      `the app is registered as ${expected} but its code is ${d.language} (${d.because}): change the app's language or deploy ${expected} code`,
    );
  c.log.line(`language ${d.language} (${d.because})`);
  return d;
}
