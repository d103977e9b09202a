import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { readTarGz, type TarEntry } from './tarball';

/** Limits of an S-mart package. */
export const LIMITS = { packageBytes: 200 * 1024 * 1024, unpackedBytes: 1024 * 1024 * 1024, files: 20_000 };

/** app.yml as the platform uses it (reference §3.5, clients.md §4). */
export interface AppYml {
  app_code: string;
  app_name: string;
  version: string;
  language: 'python' | 'nodejs';
  is_use_celery: boolean;
  is_use_celery_beat: boolean;
  author: string;
  introduction: string;
  category: string;
  env: { key: string; value: string }[];
  desktop: Record<string, unknown>;
}

/** A package that passed every check. */
export interface CheckedPackage {
  meta: AppYml;
  md5: string;
  size: number;
  /** app.yml as it was in the package. */
  yml: string;
}

/** Platform S-mart codes use underscores (bk_sops), unlike the create-app form. */
const CODE = /^[a-z][a-z0-9_]{0,29}$/;

const text = (v: unknown, field: string, max: number, required = false): string => {
  if (v === undefined || v === null || v === '') {
    if (required) throw new Error(`app.yml: expected ${field}, found none`);
    return '';
  }
  if (typeof v !== 'string' && typeof v !== 'number')
    throw new Error(`app.yml: expected ${field} to be text`);
  const s = String(v);
  if (s.length > max)
    throw new Error(`app.yml: expected ${field} of at most ${max} characters, got ${s.length}`);
  return s;
};
const flag = (v: unknown, field: string, dflt: boolean): boolean => {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean')
    throw new Error(`app.yml: expected ${field} to be true or false, got ${JSON.stringify(v)}`);
  return v;
};

/** Parse and check app.yml; `top` is the package's top folder (the code must equal it). */
export function parseAppYml(yml: string, top: string): AppYml {
  let y: Record<string, unknown>;
  try {
    y = parse(yml) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`app.yml: expected YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!y || typeof y !== 'object' || Array.isArray(y))
    throw new Error('app.yml: expected a mapping of fields');
  const code = text(y.app_code, 'app_code', 30, true);
  if (!CODE.test(code))
    throw new Error(
      `app.yml: expected app_code of lower-case letters, digits and _ (up to 30), got ${JSON.stringify(code)}`,
    );
  if (code !== top)
    throw new Error(
      `app.yml: app_code ${code} does not match the package's top folder ${top}/ (expected ${top}/app.yml)`,
    );
  const language = text(y.language, 'language', 10).toLowerCase() || 'python';
  if (language !== 'python' && language !== 'nodejs')
    throw new Error(`app.yml: expected language python or nodejs, got ${JSON.stringify(y.language)}`);
  const env: { key: string; value: string }[] = [];
  if (y.env !== undefined && y.env !== null) {
    if (!Array.isArray(y.env)) throw new Error('app.yml: expected env to be a list of {key, value}');
    for (const e of y.env as Record<string, unknown>[]) {
      const key = text(e?.key, 'env key', 50, true);
      if (!/^BKAPP_[A-Za-z0-9_]+$/.test(key))
        throw new Error(
          `app.yml: expected env keys starting with BKAPP_ (letters, digits, _), got ${JSON.stringify(key)}`,
        );
      env.push({ key, value: text(e?.value, `env ${key}`, 1000) });
    }
  }
  const celery = flag(y.is_use_celery, 'is_use_celery', false);
  return {
    app_code: code,
    app_name: text(y.app_name, 'app_name', 20, true),
    version: text(y.version, 'version', 50, true),
    language,
    is_use_celery: celery,
    is_use_celery_beat: celery && flag(y.is_use_celery_beat, 'is_use_celery_beat', false),
    author: text(y.author, 'author', 128),
    introduction: text(y.introduction, 'introduction', 2000),
    category: text(y.category, 'category', 64),
    env,
    desktop: y.desktop && typeof y.desktop === 'object' ? (y.desktop as Record<string, unknown>) : {},
  };
}

/** Why one member may not be in a package, or undefined. */
function badMember(e: TarEntry): string | undefined {
  const p = e.path.replace(/\/+$/, '');
  if (p.startsWith('/')) return `${e.path}: absolute path (members must stay inside the package)`;
  if (p.split('/').some((s) => s === '..')) return `${e.path}: path escapes the package (..)`;
  if (/[\0\n\r\\]/.test(p)) return `${JSON.stringify(e.path)}: control characters or backslashes in a path`;
  if (e.type === 'symlink' || e.type === 'hardlink')
    return `${e.path}: ${e.type}s are not allowed in a package`;
  if (e.type !== 'file' && e.type !== 'dir')
    return `${e.path}: ${e.type} members are not allowed (files and folders only)`;
  return undefined;
}

/**
 * Check an uploaded S-mart package before anything is stored: size, a readable .tar.gz, only
 * files and folders, no path leaving the package, one top folder `<code>/` holding `app.yml`
 * and `src/`, and an app.yml whose app_code is that folder. Throws naming the first problem.
 */
export function checkPackage(buf: Buffer, limits = LIMITS): CheckedPackage {
  if (buf.length === 0) throw new Error('expected a .tar.gz S-mart package, got an empty upload');
  if (buf.length > limits.packageBytes)
    throw new Error(`package too large: ${buf.length} bytes, expected at most ${limits.packageBytes}`);
  const entries = readTarGz(buf, limits.unpackedBytes);
  if (entries.length > limits.files)
    throw new Error(`expected at most ${limits.files} files in a package, found ${entries.length}`);
  for (const e of entries) {
    const bad = badMember(e);
    if (bad) throw new Error(`refused member ${bad}`);
  }
  const paths = entries.map((e) => e.path.replace(/^\.\//, '').replace(/\/+$/, '')).filter(Boolean);
  const tops = [...new Set(paths.map((p) => p.split('/')[0]!))];
  if (tops.length !== 1)
    throw new Error(
      `expected one top folder <code>/ with app.yml and src/, found ${tops.slice(0, 5).join(', ')}`,
    );
  const top = tops[0]!;
  const ymlEntry = entries.find((e) => e.path.replace(/^\.\//, '') === `${top}/app.yml`);
  if (!ymlEntry?.data) {
    if (entries.some((e) => /(^|\/)app\.yml$/.test(e.path)))
      throw new Error(
        `expected app.yml directly in ${top}/ (layout <code>/app.yml, <code>/src/, <code>/pkgs/)`,
      );
    throw new Error(`expected ${top}/app.yml in the package, found none`);
  }
  if (!paths.some((p) => p === `${top}/src` || p.startsWith(`${top}/src/`)))
    throw new Error(`expected the app's code in ${top}/src/, found no src folder`);
  const yml = ymlEntry.data.toString('utf8');
  const meta = parseAppYml(yml, top);
  return { meta, md5: createHash('md5').update(buf).digest('hex'), size: buf.length, yml };
}
