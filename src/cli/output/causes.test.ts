// The failure summary names the cause even when it is far above the tail of the step's output.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine';
import type { ModuleDef } from '../../engine/types';
import { LocalTransport } from '../../transport/local';
import { causeLines } from './causes';
import { consoleSink } from './sinks';

describe('causeLines', () => {
  it('keeps the distinct lines that name an error, first ones first', () => {
    const lines = [
      'Installing MariaDB/MySQL system tables in /data/x ...',
      `2026-12-01 9:00:00 0 [ERROR] mariadbd: Can't create/write to file '/data/x/aria_log_control' (Errcode: 13 "Permission denied")`,
      '2026-12-01 9:00:00 0 [ERROR] Aborting',
      'Installation of system tables failed!  Examine the logs in',
      'You can try to start the mysqld daemon with:',
      `2026-12-01 9:00:00 0 [ERROR] mariadbd: Can't create/write to file '/data/x/aria_log_control' (Errcode: 13 "Permission denied")`,
      'see error_log for details', // error_log is a word of its own, not "error"
      'connect() to 127.0.0.1:8003 failed (111: Connection refused)',
      'E: Unable to locate package nginx-bogus',
      'bash: line 3: frob: command not found',
      'all good: 0 warnings',
    ];
    expect(causeLines(lines)).toEqual([lines[1], lines[2], lines[3], lines[7], lines[8], lines[9]]);
    expect(causeLines(lines, 2)).toEqual([lines[1], lines[2]]);
    expect(causeLines(['done', ''])).toEqual([]);
  });
});

describe('a failed step on the terminal', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('shows the cause line from the top of a long output, then the other last lines', async () => {
    root = mkdtempSync(join(tmpdir(), 'bkcec-causes-'));
    const failing: ModuleDef = {
      name: 'mysql',
      after: [],
      hosts: () => ['127.0.0.1'],
      commands: {
        install: {
          steps: () => [
            {
              id: 'datadir',
              title: 'data dir',
              script: `echo 'Installing system tables'
echo "mariadbd: Can't create/write to file '/x/ddl_recovery.log' (Errcode: 13 \\"Permission denied\\")" >&2
for i in $(seq 40); do echo "advice line $i"; done
false`,
            },
          ],
        },
      },
    };
    const out = new PassThrough();
    let text = '';
    out.on('data', (c) => {
      text += c;
    });
    const engine = new Engine({
      inventory: {
        controlDir: root,
        hosts: ['127.0.0.1'],
        hostsOf: () => ['127.0.0.1'],
        projectsOf: () => undefined,
        varsOf: () => ({ INSTALL_PATH: join(root, 'bkce'), LAN_IP: '127.0.0.1' }),
      },
      modules: [failing],
      pkgDir: join(root, 'pkg'),
      openTransport: async () => new LocalTransport(),
      emit: consoleSink('plain', out, 'full log: /ctl/logs/bkcec.log'),
    });
    expect((await engine.run('install', 'mysql')).ok).toBe(false);
    const lines = text.split('\n');
    const at = lines.indexOf('  cause (lines of its output naming an error):');
    expect(at, text).toBeGreaterThan(0);
    expect(lines[at + 1]).toContain('(Errcode: 13 "Permission denied")');
    expect(lines[at + 2]).toBe('  last output (other lines):');
    expect(lines[at + 3]).toBe('    advice line 21');
    expect(text).toContain('advice line 40');
    expect(text).toContain('full log: /ctl/logs/bkcec.log');
  });
});
