// The catalogue check the test suite runs: every language has every key, messages parse, both
// languages use the same placeholders, every key is used in the code, and every key used exists.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';

type Ast = ReturnType<IntlMessageFormat['getAst']>;

/** Placeholder names of a parsed message (arguments, plural/select/number/date, nested). */
function argNames(ast: Ast, out = new Set<string>()): Set<string> {
  for (const el of ast as Array<{
    type: number;
    value?: unknown;
    options?: Record<string, { value: Ast }>;
  }>) {
    if (el.type >= 1 && el.type <= 6 && typeof el.value === 'string') out.add(el.value);
    for (const o of Object.values(el.options ?? {})) argNames(o.value, out);
  }
  return out;
}

/** Source files (.ts, not tests) under `dirs`, as path → text. */
export function sourceTexts(dirs: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (name === 'node_modules') continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.set(p, readFileSync(p, 'utf8'));
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

/** Every problem found, one line each; empty when the catalogues are complete and all used. */
export function checkCatalogs(
  catalogs: Record<string, Record<string, string>>,
  sources: Map<string, string>,
  root = '',
): string[] {
  const problems: string[] = [];
  const langs = Object.keys(catalogs);
  const all = new Set(langs.flatMap((l) => Object.keys(catalogs[l]!)));
  const args = new Map<string, string>();
  for (const key of [...all].sort()) {
    for (const l of langs) {
      const msg = catalogs[l]![key];
      if (msg === undefined) {
        problems.push(`${l}: missing key ${key}`);
        continue;
      }
      let names: string;
      try {
        names = [...argNames(new IntlMessageFormat(msg, l, undefined, { ignoreTag: true }).getAst())]
          .sort()
          .join(',');
      } catch (e) {
        problems.push(`${l}: ${key} does not parse: ${(e as Error).message}`);
        continue;
      }
      const first = args.get(key);
      if (first === undefined) args.set(key, names);
      else if (first !== names)
        problems.push(`${l}: ${key} has placeholders {${names}}, ${langs[0]} has {${first}}`);
    }
  }
  const text = [...sources.values()].join('\n');
  for (const key of [...all].sort())
    if (!text.includes(`'${key}'`) && !text.includes(`"${key}"`)) problems.push(`unused key ${key}`);
  for (const [path, src] of sources)
    for (const m of src.matchAll(/\bt\(\s*'([a-z][\w.-]*)'/g))
      if (!all.has(m[1]!))
        problems.push(`${relative(root, path) || path}: t('${m[1]}') has no catalogue entry`);
  return problems;
}
