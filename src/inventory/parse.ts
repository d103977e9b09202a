// Parses install.config (legacy syntax) into an Inventory, collecting every problem with its position.
import type { Issue } from '../config/issues';
import { invisibles, textLines } from '../config/text';
import type { HostEntry, Inventory } from './inventory';
import { type ModuleToken, scanHostLine } from './line';
import { validateInventory, type Where } from './validate';

/** Positions of the first line of each host (key `ip`) and of each module on it (key `ip module`). */
export type Positions = Map<string, Where>;

export interface ParsedInstallConfig {
  inventory: Inventory;
  issues: Issue[];
  where: Positions;
}

/**
 * Parses install.config text: optional `[group]` header, `#` comments, blank lines, host lines
 * `IP module,module(project)` (no inline comments); an IP on several lines merges; first-seen order kept.
 * Blanks between fields are spaces or tabs; a byte-order mark, CRLF and trailing blanks are fine.
 * Returns every syntax problem (in file order) followed by the cross-host problems of validateInventory.
 */
export function parseInstallConfig(text: string, file = 'install.config'): ParsedInstallConfig {
  const issues: Issue[] = [];
  const hosts = new Map<string, HostEntry>();
  const where: Positions = new Map();
  let group: string | undefined;
  let groupLine = 0;
  let firstHostLine = 0;
  textLines(text).forEach((saved, index) => {
    const line = index + 1;
    if (saved.trim() === '' || saved.trim().startsWith('#')) return;
    const at = (col: number, message: string) => issues.push({ file, line, col, message });
    const { problems, clean: raw } = invisibles(saved);
    for (const p of problems) at(p.col, p.message);
    const trimmed = raw.trim();
    if (trimmed.startsWith('[')) {
      const col = raw.indexOf('[') + 1;
      const m = /^\[([A-Za-z0-9][A-Za-z0-9_.-]*)\]$/.exec(trimmed);
      if (!m) at(col, `expected a group header like [bkce-basic], found '${trimmed}'`);
      else if (groupLine)
        at(col, `expected a single group header, found a second one (first at line ${groupLine})`);
      else if (firstHostLine) {
        at(
          col,
          `expected the group header before the first host line (line ${firstHostLine}), found it after`,
        );
      } else {
        group = m[1];
        groupLine = line;
      }
      return;
    }
    firstHostLine ||= line;
    const scanned = scanHostLine(raw);
    for (const p of scanned.problems) at(p.col, p.message);
    if (scanned.ip) merge(scanned.ip, line, scanned.tokens, hosts, where, at);
  });
  const inventory: Inventory = { hosts: [...hosts.values()] };
  if (group !== undefined) inventory.group = group;
  issues.sort((a, b) => a.line - b.line || a.col - b.col);
  issues.push(...validateInventory(inventory, file, where));
  return { inventory, issues, where };
}

/** Adds a line's tokens to its host: new modules append, `m(a)` + `m(b)` merge, anything else repeats. */
function merge(
  ip: string,
  line: number,
  tokens: ModuleToken[],
  hosts: Map<string, HostEntry>,
  where: Positions,
  at: (col: number, message: string) => void,
): void {
  let host = hosts.get(ip);
  if (!host) {
    host = { ip, modules: [] };
    hosts.set(ip, host);
    where.set(ip, { line, col: 1 });
  }
  for (const t of tokens) {
    const key = `${ip} ${t.module}`;
    const placed = host.modules.find((p) => p.module === t.module);
    const first = where.get(key);
    const firstAt = first ? ` (first at line ${first.line}:${first.col})` : '';
    if (!placed) {
      host.modules.push(t.projects ? { module: t.module, projects: [...t.projects] } : { module: t.module });
      where.set(key, { line, col: t.col });
    } else if (!placed.projects || !t.projects) {
      at(t.col, `expected each module once per host, found '${t.module}' again for ${ip}${firstAt}`);
    } else {
      for (const proj of t.projects) {
        if (placed.projects.includes(proj)) {
          at(
            t.col,
            `expected each project once per host, found ${t.module}(${proj}) again for ${ip}${firstAt}`,
          );
        } else placed.projects.push(proj);
      }
    }
  }
}
