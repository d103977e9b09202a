// Reads one shell word of an env file (quotes, escapes, $VAR) without ever needing a shell.
import { shown } from './issues';

/** A value of an env file: a scalar, or an array written `X=( a b )`. */
export type EnvValue = string | string[];

/** A problem at a 1-based column of the current line. */
export interface WordProblem {
  col: number;
  message: string;
}

export interface Word {
  value: string;
  /** Index just after the word. */
  end: number;
}

/** Looks a variable up among those defined earlier (same file first, then earlier files). */
export type Lookup = (name: string) => EnvValue | undefined;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const NEEDS_SHELL = new Set([';', '&', '|', '<', '>', '`', '(', ')']);
const GLOB = new Set(['*', '?', '[']);

/** Scans the word starting at index `p` of `s`; in an array, an unquoted `)` also ends it. */
export function scanWord(s: string, p: number, lookup: Lookup, inArray: boolean): Word | WordProblem {
  const start = p;
  let out = '';
  while (p < s.length) {
    const c = s[p]!;
    if (c === ' ' || c === '\t' || (inArray && c === ')')) break;
    if (c === "'") {
      const close = s.indexOf("'", p + 1);
      if (close < 0) return { col: p + 1, message: "expected a closing ', found end of line" };
      out += s.slice(p + 1, close);
      p = close + 1;
    } else if (c === '"') {
      const r = scanDouble(s, p, lookup);
      if ('col' in r) return r;
      out += r.value;
      p = r.end;
    } else if (c === '\\') {
      if (p + 1 >= s.length)
        return { col: p + 1, message: "expected the value on one line, found '\\' at end of line" };
      out += s[p + 1];
      p += 2;
    } else if (c === '$') {
      const r = expand(s, p, lookup);
      if ('col' in r) return r;
      out += r.value;
      p = r.end;
    } else if (NEEDS_SHELL.has(c)) {
      return {
        col: p + 1,
        message: `expected a plain value (quote special characters), found '${c}' which needs a shell`,
      };
    } else if (GLOB.has(c)) {
      return { col: p + 1, message: `expected glob characters to be quoted, found '${c}'` };
    } else if (c === '~' && p === start) {
      return { col: p + 1, message: "expected a full path, found '~' (there is no home expansion)" };
    } else {
      out += c;
      p++;
    }
  }
  return { value: out, end: p };
}

/** Scans `"..."` at `p`: `\"` `\\` `\$` `` \` `` are escapes, other backslashes stay, `$VAR` expands. */
function scanDouble(s: string, p: number, lookup: Lookup): Word | WordProblem {
  let out = '';
  let j = p + 1;
  for (;;) {
    if (j >= s.length) return { col: p + 1, message: 'expected a closing ", found end of line' };
    const c = s[j]!;
    if (c === '"') return { value: out, end: j + 1 };
    if (c === '\\' && '"\\$`'.includes(s[j + 1] ?? '')) {
      out += s[j + 1];
      j += 2;
    } else if (c === '$') {
      const r = expand(s, j, lookup);
      if ('col' in r) return r;
      out += r.value;
      j = r.end;
    } else if (c === '`') {
      return { col: j + 1, message: "expected no command substitution, found '`'" };
    } else {
      out += c;
      j++;
    }
  }
}

/** Expands `$NAME` or `${NAME}` at `p` from earlier definitions; anything fancier needs a shell. */
function expand(s: string, p: number, lookup: Lookup): Word | WordProblem {
  const col = p + 1;
  const next = s[p + 1];
  let name: string;
  let end: number;
  if (next === '(') return { col, message: "expected no command substitution, found '$('" };
  if (next === '{') {
    const close = s.indexOf('}', p + 2);
    const inner = close < 0 ? s.slice(p + 2) : s.slice(p + 2, close);
    if (close < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(inner)) {
      return { col, message: `expected \${NAME}, found '\${${inner}${close < 0 ? '' : '}'}'` };
    }
    name = inner;
    end = close + 1;
  } else {
    const m = NAME.exec(s.slice(p + 1));
    if (!m) {
      return {
        col,
        message: `expected a variable name after '$' (write \\$ for a dollar sign), found ${shown(next)}`,
      };
    }
    name = m[0];
    end = p + 1 + name.length;
  }
  const value = lookup(name);
  if (value === undefined)
    return { col, message: `expected $${name} to be defined earlier, found no definition` };
  if (Array.isArray(value)) return { col, message: `expected $${name} to be a single value, found an array` };
  return { value, end };
}
