// The benchmark workload of anchors §B.3: K idempotent steps per host, a third each of
// "write a file from a template", "ensure a directory", "run a command", expressed for every
// tool compared: a bkcec module, an Ansible playbook, and one plain batched shell script.
import type { ModuleDef, Step } from '../../src/engine/types';

export const ROOT = '/data/bench';

export type Kind = 'file' | 'dir' | 'command';
export const kindOf = (i: number): Kind => (['file', 'dir', 'command'] as const)[i % 3]!;
const content = (ip: string, i: number) => `# step ${i}\nhost=${ip}\nvalue=${i * 7}\n`;

/** The bkcec module: one step per unit of work; hosts come from the bench's own inventory. */
export function benchModule(k: number): ModuleDef {
  const steps = (ip: string): Step[] =>
    Array.from({ length: k }, (_, i) => {
      const kind = kindOf(i);
      if (kind === 'file')
        return {
          id: `s${i}`,
          title: `file ${i}`,
          files: [{ path: `${ROOT}/f${i}.conf`, content: content(ip, i) }],
        };
      if (kind === 'dir')
        return {
          id: `s${i}`,
          title: `dir ${i}`,
          script: `[ -d ${ROOT}/d${i} ] || { mkdir -p ${ROOT}/d${i}; bk_changed; }`,
        };
      return { id: `s${i}`, title: `command ${i}`, script: `test -d ${ROOT}` };
    });
  return {
    name: 'bench',
    after: [],
    hosts: (c) => [...c.allHosts],
    commands: { install: { steps: (h) => steps(h.ip) } },
  };
}

/** The same work as one POSIX shell script (the floor: no tool at all). */
export function floorScript(ip: string, k: number): string {
  const lines = ['set -e'];
  for (let i = 0; i < k; i++) {
    const kind = kindOf(i);
    if (kind === 'file') {
      lines.push(`mkdir -p ${ROOT}; printf '%s' '${content(ip, i)}' > ${ROOT}/f${i}.tmp`);
      lines.push(
        `cmp -s ${ROOT}/f${i}.tmp ${ROOT}/f${i}.conf && rm ${ROOT}/f${i}.tmp || mv ${ROOT}/f${i}.tmp ${ROOT}/f${i}.conf`,
      );
    } else if (kind === 'dir') lines.push(`[ -d ${ROOT}/d${i} ] || mkdir -p ${ROOT}/d${i}`);
    else lines.push(`test -d ${ROOT}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The same work as an Ansible playbook (template, file, command). */
export function playbook(k: number): { playbook: string; templates: Record<string, string> } {
  const tasks: string[] = [];
  const templates: Record<string, string> = {};
  for (let i = 0; i < k; i++) {
    const kind = kindOf(i);
    if (kind === 'file') {
      templates[`f${i}.j2`] = `# step ${i}\nhost={{ inventory_hostname }}\nvalue=${i * 7}\n`;
      tasks.push(`    - name: file ${i}\n      template: { src: f${i}.j2, dest: ${ROOT}/f${i}.conf }`);
    } else if (kind === 'dir')
      tasks.push(`    - name: dir ${i}\n      file: { path: ${ROOT}/d${i}, state: directory }`);
    else tasks.push(`    - name: command ${i}\n      command: test -d ${ROOT}\n      changed_when: false`);
  }
  const pre = `    - name: root\n      file: { path: ${ROOT}, state: directory }`;
  return {
    playbook: `- hosts: all\n  gather_facts: false\n  tasks:\n${pre}\n${tasks.join('\n')}\n`,
    templates,
  };
}
