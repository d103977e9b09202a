// Scans one host line of install.config (`IP module,module(project)`) into tokens, with exact columns.
import { shown } from '../config/issues';
import { ipv4Problem } from './ipv4';
import { isModuleName, MODULES, type ModuleName, PROJECTS } from './modules';

/** A problem on the current line: 1-based column and a "expected X, found Y" message. */
export interface LineProblem {
  col: number;
  message: string;
}

/** One well-formed module token; `projects` only when written as `module(a-b)`. */
export interface ModuleToken {
  module: ModuleName;
  projects?: string[];
  col: number;
}

export interface ScannedLine {
  /** The IP, when it is valid. */
  ip?: string;
  tokens: ModuleToken[];
  problems: LineProblem[];
}

/** Scans a host line (no line terminator). Reports every problem it can find, not only the first. */
export function scanHostLine(raw: string): ScannedLine {
  const problems: LineProblem[] = [];
  // Tabs separate fields as spaces do (columns stay those of the raw line).
  const s = raw.replaceAll('\t', ' ');
  let p = 0;
  if (s[0] === ' ') {
    problems.push({
      col: 1,
      message: `expected an IPv4 address at the start of the line, found ${shown(raw[0])}`,
    });
    while (s[p] === ' ') p++;
  }
  const ipStart = p;
  while (p < s.length && s[p] !== ' ') p++;
  const ipText = s.slice(ipStart, p);
  const bad = ipv4Problem(ipText);
  if (bad) problems.push({ col: ipStart + 1, message: bad });
  const ipEnd = p;
  while (s[p] === ' ') p++;
  if (p >= s.length) {
    problems.push({ col: ipEnd + 1, message: `expected a module list after '${ipText}', found end of line` });
    return { tokens: [], problems };
  }
  const tokens = scanModuleList(s, p, problems);
  return { ip: bad ? undefined : ipText, tokens, problems };
}

/** Scans `a,b(c),d` starting at index `p`; spaces around commas and stray text are problems. */
function scanModuleList(s: string, start: number, problems: LineProblem[]): ModuleToken[] {
  const tokens: ModuleToken[] = [];
  let p = start;
  for (;;) {
    if (p >= s.length || s[p] === ',') {
      problems.push({ col: p + 1, message: `expected a module name, found ${shown(s[p])}` });
    } else {
      let q = p;
      let depth = 0;
      while (q < s.length && s[q] !== ' ' && (depth > 0 || s[q] !== ',')) {
        if (s[q] === '(') depth++;
        if (s[q] === ')') depth--;
        q++;
      }
      const token = checkToken(s.slice(p, q), p + 1, problems);
      if (token) tokens.push(token);
      p = q;
    }
    if (s[p] === ' ') {
      const space = p;
      while (s[p] === ' ') p++;
      if (p >= s.length) return tokens;
      if (s[p] !== ',') {
        const stray = s.slice(p).split(' ')[0];
        problems.push({
          col: p + 1,
          message: `expected ',' or end of line after a module, found '${stray}'`,
        });
        return tokens;
      }
      problems.push({ col: space + 1, message: "expected no space before ',', found a space" });
    }
    if (p >= s.length) return tokens;
    p++; // the comma
    if (s[p] === ' ') {
      problems.push({ col: p + 1, message: "expected a module name right after ',', found a space" });
      while (s[p] === ' ') p++;
      if (p >= s.length) return tokens;
    }
  }
}

/** Checks `name` or `name(p1-p2)` at column `col`. */
function checkToken(text: string, col: number, problems: LineProblem[]): ModuleToken | undefined {
  const m = /^([a-z][a-z0-9_]*)(?:\(([^()]*)\))?$/.exec(text);
  if (!m) {
    const hint = /^[A-Za-z0-9_]+$/.test(text) ? 'a module name' : 'a module token like name or name(project)';
    problems.push({ col, message: `expected ${hint}, found '${text}'` });
    return undefined;
  }
  const name = m[1]!;
  if (!isModuleName(name)) {
    problems.push({ col, message: `expected a module name (${MODULES.join(', ')}), found '${name}'` });
    return undefined;
  }
  if (m[2] === undefined) return { module: name, col };
  const known = PROJECTS[name];
  const open = col + name.length;
  if (!known) {
    problems.push({ col: open, message: `expected no project for ${name} (it has none), found '(${m[2]})'` });
    return undefined;
  }
  const comma = m[2].indexOf(',');
  if (comma >= 0) {
    problems.push({ col: open + 1 + comma, message: "expected projects separated by '-', found ','" });
    return undefined;
  }
  const projects: string[] = [];
  let pc = open + 1;
  let ok = true;
  for (const proj of m[2].split('-')) {
    const problem = !known.includes(proj)
      ? `expected a project of ${name} (${known.join(', ')}), found ${shown(proj === '' ? text[pc - col] : proj)}`
      : projects.includes(proj)
        ? `expected each project once, found '${proj}' twice`
        : undefined;
    if (problem) {
      problems.push({ col: pc, message: problem });
      ok = false;
    } else projects.push(proj);
    pc += proj.length + 1;
  }
  return ok ? { module: name, projects, col } : undefined;
}
