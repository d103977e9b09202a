// Renders a module's templates folder into the files a host should get.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileSpec } from '../engine/types';
import { templateTarget } from './paths';
import { placeholders, renderTemplate } from './render';

export interface RenderDirOptions {
  installPath: string;
  /** Home of the module for names without a leading `#`. */
  moduleHome: string;
  /** Only templates for which this returns true (default: all). */
  filter?: (name: string) => boolean;
  /** Names of secret variables: a template using any of them is written mode 0600. */
  secrets?: ReadonlySet<string>;
}

/** Renders every file in `dir` (flat, legacy names) with `vars`; errors list all offenders per file. */
export async function renderDir(
  dir: string,
  vars: Readonly<Record<string, string>>,
  opts: RenderDirOptions,
): Promise<FileSpec[]> {
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.') && (opts.filter?.(n) ?? true)).sort();
  const out: FileSpec[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const [text, st] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    out.push({
      path: templateTarget(name, opts.installPath, opts.moduleHome),
      content: renderTemplate(text, vars, path),
      mode: placeholders(text).some((n) => opts.secrets?.has(n)) ? 0o600 : st.mode & 0o111 ? 0o755 : 0o644,
    });
  }
  return out;
}
