// Parses globals.env / ports.env: `export K=V` lines that a shell would source, minus anything needing one.
//
// Accepted: blank lines, `#` comments (whole lines, or after whitespace following a value), `export K=V`
// and `K=V`, single quotes (literal), double quotes (escapes \" \\ \$ \`), backslash escapes, arrays
// `X=( a 'b c' )` on one line. `$NAME` / `${NAME}` expand to a variable defined EARLIER in this file or an
// earlier file (never the process environment); an unknown name is an error, so values are reproducible.
// Refused with the exact position: `$(...)`, backticks, `;` `&` `|` `<` `>` and unquoted parentheses, glob
// characters, `~`, `${X:-y}`-style operators, commands (`shopt ...`), unterminated quotes, multi-line values.
// A byte-order mark, CRLF line ends, tabs and trailing blanks are fine; other invisible characters are named.

import { type EnvValue, scanWord, type Word, type WordProblem } from './envword';
import type { Issue } from './issues';
import { invisibles, textLines } from './text';

export type { EnvValue } from './envword';

/** A 1-based position of a variable's definition. */
export interface EnvWhere {
  line: number;
  /** Column of the name. */
  col: number;
  /** Column where the value starts. */
  valueCol: number;
}

export interface ParsedEnv {
  vars: Map<string, EnvValue>;
  issues: Issue[];
  /** Where each variable was last defined (the column of its name). */
  where: Map<string, EnvWhere>;
}

/** Parses an env file; `earlier` holds variables of files read before it, for `$NAME` references. */
export function parseEnvFile(text: string, file: string, earlier?: ReadonlyMap<string, EnvValue>): ParsedEnv {
  const vars = new Map<string, EnvValue>();
  const where = new Map<string, EnvWhere>();
  const issues: Issue[] = [];
  const lookup = (name: string) => vars.get(name) ?? earlier?.get(name);
  textLines(text).forEach((saved, index) => {
    const line = index + 1;
    if (saved.trim().startsWith('#')) return;
    const { problems, clean: s } = invisibles(saved);
    for (const p of problems) issues.push({ file, line, col: p.col, message: p.message });
    const r = parseLine(s, lookup);
    if (r === undefined) return;
    if ('message' in r) issues.push({ file, line, col: r.col, message: r.message });
    else {
      vars.set(r.name, r.value);
      where.set(r.name, { line, col: r.col, valueCol: r.valueCol });
    }
  });
  return { vars, issues, where };
}

interface Assignment {
  name: string;
  value: EnvValue;
  col: number;
  valueCol: number;
}

/** One line: undefined for blank/comment lines, an assignment, or the first problem found. */
function parseLine(
  s: string,
  lookup: (name: string) => EnvValue | undefined,
): Assignment | WordProblem | undefined {
  let p = skipBlanks(s, 0);
  if (p >= s.length || s[p] === '#') return undefined;
  const exp = /^export[ \t]+/.exec(s.slice(p));
  if (exp) p += exp[0].length;
  const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(p))?.[0];
  const col = p + 1;
  if (!name || (s[p + name.length] !== '=' && !/^[ \t]+=/.test(s.slice(p + name.length)))) {
    return {
      col,
      message: `expected NAME=value, found ${p >= s.length ? 'end of line' : `'${s.slice(p).trim()}'`}`,
    };
  }
  const eq = p + name.length;
  if (s[eq] !== '=') return { col: eq + 1, message: `expected '=' right after ${name}, found a space` };
  let value: EnvValue;
  let end: number;
  if (s[eq + 1] === '(') {
    const r = scanArray(s, eq + 1, lookup);
    if ('message' in r) return r;
    ({ value, end } = r);
  } else {
    const r: Word | WordProblem = scanWord(s, eq + 1, lookup, false);
    if ('message' in r) return r;
    ({ value, end } = r);
  }
  const after = skipBlanks(s, end);
  if (after < s.length && !(s[after] === '#' && (after > end || s[end - 1] === ')'))) {
    const stray = s.slice(after).split(/[ \t]/)[0];
    return {
      col: after + 1,
      message: `expected end of line or a # comment after the value, found '${stray}'`,
    };
  }
  return { name, value, col, valueCol: eq + 2 };
}

/** Scans `( a 'b c' )` whose `(` is at index `open`. */
function scanArray(s: string, open: number, lookup: (name: string) => EnvValue | undefined) {
  const items: string[] = [];
  let p = open + 1;
  for (;;) {
    p = skipBlanks(s, p);
    if (p >= s.length)
      return { col: open + 1, message: "expected ')' to close this array, found end of line" };
    if (s[p] === ')') return { value: items, end: p + 1 };
    const r = scanWord(s, p, lookup, true);
    if ('message' in r) return r;
    items.push(r.value);
    p = r.end;
  }
}

function skipBlanks(s: string, p: number): number {
  while (s[p] === ' ' || s[p] === '\t') p++;
  return p;
}
