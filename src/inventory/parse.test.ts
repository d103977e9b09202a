import { describe, expect, it } from 'vitest';
import { allIps, consulServers, hostsOf, modulesOf } from './inventory';
import { parseInstallConfig } from './parse';

// A valid base that bad lines are appended to, so only the bad line's problems show up.
const BASE = '10.0.0.1 consul,license,mysql,redis,nginx,paas';

/** [name, text after BASE (line 2 on), expected "line:col", message fragment] */
const BAD_LINES: [string, string, string, string][] = [
  ['octet over 255', '10.0.0.256 appo', '2:1', "0-255, found 256 in '10.0.0.256'"],
  ['three octets', '10.0.0 appo', '2:1', "expected an IPv4 address like 10.0.0.1, found '10.0.0'"],
  ['five octets', '10.0.0.1.5 appo', '2:1', "found '10.0.0.1.5'"],
  ['leading zero', '10.0.0.01 appo', '2:1', "without leading zeros, found '10.0.0.01'"],
  ['empty octet', '10..0.1 appo', '2:1', "found '10..0.1'"],
  ['hostname', 'host-1 appo', '2:1', "expected an IPv4 address like 10.0.0.1, found 'host-1'"],
  ['network 0.x', '0.0.0.0 appo', '2:1', "expected a host address, found '0.0.0.0'"],
  ['multicast', '224.0.0.1 appo', '2:1', "expected a host address, found '224.0.0.1'"],
  ['missing module list', '10.0.0.2', '2:9', "expected a module list after '10.0.0.2', found end of line"],
  ['only spaces after IP', '10.0.0.2   ', '2:9', 'expected a module list'],
  ['unknown module', '10.0.0.2 gse', '2:10', "found 'gse'"],
  ['unknown module second', '10.0.0.2 appo,cmdb', '2:15', 'expected a module name (consul, license, mysql'],
  ['upper case module', '10.0.0.2 APPO', '2:10', "expected a module name, found 'APPO'"],
  [
    'malformed token',
    '10.0.0.2 appo!',
    '2:10',
    "expected a module token like name or name(project), found 'appo!'",
  ],
  ['unclosed paren', '10.0.0.2 paas(esb', '2:10', "found 'paas(esb'"],
  [
    'duplicate module on a line',
    '10.0.0.2 appo,appo',
    '2:15',
    "found 'appo' again for 10.0.0.2 (first at line 2:10)",
  ],
  [
    'duplicate across lines',
    '10.0.0.2 appo\n10.0.0.2 appo',
    '3:10',
    "found 'appo' again for 10.0.0.2 (first at line 2:10)",
  ],
  [
    'duplicate of base host module',
    '10.0.0.1 mysql',
    '2:10',
    "found 'mysql' again for 10.0.0.1 (first at line 1:25)",
  ],
  ['space before comma', '10.0.0.2 appo ,appt', '2:14', "expected no space before ',', found a space"],
  [
    'space after comma',
    '10.0.0.3 appo, appt',
    '2:15',
    "expected a module name right after ',', found a space",
  ],
  ['trailing comma', '10.0.0.2 appo,', '2:15', 'expected a module name, found end of line'],
  ['leading comma', '10.0.0.2 ,appo', '2:10', "expected a module name, found ','"],
  ['double comma', '10.0.0.2 appo,,appt', '2:15', "expected a module name, found ','"],
  ['no-break space separator', '10.0.0.2\u00a0appo', '2:9', 'found U+00A0 no-break space'],
  ['zero-width space in a module', '10.0.0.2 ap\u200bpo', '2:12', 'found U+200B zero-width space'],
  ['byte-order mark not at the start', '\ufeff10.0.0.2 appo', '2:1', 'found U+FEFF byte-order mark'],
  ['full-width space', '10.0.0.2\u3000appo', '2:9', 'found U+3000 ideographic (full-width) space'],
  ['lone carriage return', '10.0.0.2 appo\r,appt', '2:14', 'found U+000D carriage return'],
  ['leading tab', '\t10.0.0.2 appo', '2:1', 'expected an IPv4 address at the start of the line, found a tab'],
  [
    'leading space',
    ' 10.0.0.2 appo',
    '2:1',
    'expected an IPv4 address at the start of the line, found a space',
  ],
  ['stray text', '10.0.0.2 appo extra', '2:15', "expected ',' or end of line after a module, found 'extra'"],
  [
    'unknown project',
    '10.0.0.2 paas(foo)',
    '2:15',
    "expected a project of paas (appengine, paas, esb, login), found 'foo'",
  ],
  [
    'project on module without any',
    '10.0.0.2 appo(x)',
    '2:14',
    "expected no project for appo (it has none), found '(x)'",
  ],
  ['empty project list', '10.0.0.2 paas()', '2:15', "found ')'"],
  ['empty project between dashes', '10.0.0.2 paas(esb--login)', '2:19', "found '-'"],
  [
    'comma inside parentheses',
    '10.0.0.2 paas(esb,login)',
    '2:18',
    "expected projects separated by '-', found ','",
  ],
  [
    'project twice in a token',
    '10.0.0.2 paas(esb-esb)',
    '2:19',
    "expected each project once, found 'esb' twice",
  ],
  [
    'project twice across tokens',
    '10.0.0.2 paas(esb),paas(esb)',
    '2:20',
    'found paas(esb) again for 10.0.0.2',
  ],
  ['whole module then project', '10.0.0.1 paas(esb)', '2:10', "found 'paas' again for 10.0.0.1"],
  ['bad header', '[bkce basic]', '2:1', "expected a group header like [bkce-basic], found '[bkce basic]'"],
  [
    'header after hosts',
    '[bkce-basic]',
    '2:1',
    'expected the group header before the first host line (line 1)',
  ],
];

describe('parseInstallConfig: one bad line', () => {
  it.each(BAD_LINES)('%s', (_name, extra, pos, fragment) => {
    const { issues } = parseInstallConfig(`${BASE}\n${extra}\n`);
    const hit = issues.find((i) => `${i.line}:${i.col}` === pos && i.message.includes(fragment));
    expect(hit, JSON.stringify(issues, null, 1)).toBeDefined();
    expect(hit!.file).toBe('install.config');
  });
});

/** [name, whole file, expected "line:col", message fragment] for cross-host rules. */
const BAD_FILES: [string, string, string, string][] = [
  ['empty file', '# nothing\n\n', '1:1', 'expected at least one host line (IP module,module), found none'],
  ['only a header', '[bkce-basic]\n', '1:1', 'found none'],
  ['no consul', '10.0.0.1 mysql', '1:1', 'expected consul on 1, 3, 5 or 7 hosts (its servers), found none'],
  ['two consul servers', '10.0.0.1 consul\n10.0.0.2 consul', '2:10', 'found 2 (10.0.0.1, 10.0.0.2)'],
  [
    'four consul servers',
    '10.0.0.1 consul\n10.0.0.2 consul\n10.0.0.3 consul\n10.0.0.4 consul',
    '4:10',
    'found 4',
  ],
  [
    'mysql twice',
    '10.0.0.1 consul,mysql\n10.0.0.2 mysql',
    '2:10',
    'expected mysql on one host, found it on 10.0.0.1, 10.0.0.2',
  ],
  ['nginx twice', '10.0.0.1 consul,nginx\n10.0.0.2 nginx', '2:10', 'expected nginx on one host'],
  ['license twice', '10.0.0.1 consul,license\n10.0.0.2 license', '2:10', 'expected license on one host'],
  ['appo twice', `${BASE}\n10.0.0.2 appo\n10.0.0.3 appo`, '3:10', 'expected appo on one host'],
  [
    'paas without mysql',
    '10.0.0.1 consul,redis,nginx,paas',
    '1:29',
    'expected a host with mysql (paas needs it), found none',
  ],
  [
    'paas without redis',
    '10.0.0.1 consul,mysql,nginx,paas',
    '1:29',
    'expected a host with redis (paas needs it)',
  ],
  [
    'paas without nginx',
    '10.0.0.1 consul,mysql,redis,paas',
    '1:29',
    'expected a host with nginx (paas needs it)',
  ],
  [
    'appo without paas',
    '10.0.0.1 consul,appo',
    '1:17',
    'expected a host with paas (appo needs it), found none',
  ],
  [
    'appo and appt together',
    `${BASE}\n10.0.0.2 appt,appo`,
    '2:15',
    'expected appo and appt on different hosts, found both on 10.0.0.2',
  ],
  [
    'project not covered',
    '10.0.0.1 consul,mysql,redis,nginx,paas(esb-login)',
    '1:35',
    'found none running appengine, paas',
  ],
  [
    'loopback with others',
    '127.0.0.1 consul,mysql,redis,nginx,paas\n10.0.0.2 appo',
    '1:1',
    'expected 127.0.0.1 only in a single-host install.config, found 2 hosts',
  ],
];

describe('parseInstallConfig: cross-host rules', () => {
  it.each(BAD_FILES)('%s', (_name, text, pos, fragment) => {
    const { issues } = parseInstallConfig(text, '/ctl/install.config');
    const hit = issues.find((i) => `${i.line}:${i.col}` === pos && i.message.includes(fragment));
    expect(hit, JSON.stringify(issues, null, 1)).toBeDefined();
    expect(hit!.file).toBe('/ctl/install.config');
  });
});

describe('parseInstallConfig: files as editors save them', () => {
  it('accepts a byte-order mark, CRLF, tabs between fields and trailing blanks', () => {
    const text =
      '\ufeff[bkce-basic]\r\n# hosts\r\n10.0.0.1\tconsul,mysql \t\r\n10.0.0.2 \t redis,license\t\r\n';
    const { inventory, issues } = parseInstallConfig(text);
    expect(issues).toEqual([]);
    expect(inventory.group).toBe('bkce-basic');
    expect(inventory.hosts).toEqual([
      { ip: '10.0.0.1', modules: [{ module: 'consul' }, { module: 'mysql' }] },
      { ip: '10.0.0.2', modules: [{ module: 'redis' }, { module: 'license' }] },
    ]);
  });

  it('names an invisible character instead of echoing it, and checks the rest of the line as if it were a space', () => {
    const { issues, inventory } = parseInstallConfig(`${BASE}\n10.0.0.2\u00a0appo\n`);
    expect(issues).toEqual([
      {
        file: 'install.config',
        line: 2,
        col: 9,
        message: 'expected only visible characters, spaces and tabs, found U+00A0 no-break space',
      },
    ]);
    for (const i of issues) expect(i.message).not.toMatch(/[\u00a0\u200b\ufeff]/);
    expect(inventory.hosts[1]).toEqual({ ip: '10.0.0.2', modules: [{ module: 'appo' }] });
  });
});

describe('parseInstallConfig: good files', () => {
  it('merges the legacy single-host sample split over three lines', () => {
    const text = '# single host\n10.0.0.5 consul,license\n\n10.0.0.5 mysql,redis\r\n10.0.0.5 nginx,paas   \n';
    const { inventory, issues } = parseInstallConfig(text);
    expect(issues).toEqual([]);
    expect(inventory.group).toBeUndefined();
    expect(inventory.hosts).toEqual([
      {
        ip: '10.0.0.5',
        modules: ['consul', 'license', 'mysql', 'redis', 'nginx', 'paas'].map((module) => ({ module })),
      },
    ]);
  });

  it('reads the three-host sample with a [bkce-basic] header, keeping order', () => {
    const text = [
      '# three hosts',
      '[bkce-basic]',
      '10.0.0.3 paas,license,redis,consul',
      '10.0.0.1 nginx,appt,consul',
      '10.0.0.2 appo,mysql,consul,paas(esb-login)',
    ].join('\n');
    const { inventory, issues } = parseInstallConfig(text);
    expect(issues).toEqual([]);
    expect(inventory.group).toBe('bkce-basic');
    expect(allIps(inventory)).toEqual(['10.0.0.3', '10.0.0.1', '10.0.0.2']);
    expect(consulServers(inventory)).toEqual(['10.0.0.3', '10.0.0.1', '10.0.0.2']);
    expect(hostsOf(inventory, 'paas')).toEqual(['10.0.0.3', '10.0.0.2']);
    expect(hostsOf(inventory, 'paas', 'esb')).toEqual(['10.0.0.3', '10.0.0.2']);
    expect(hostsOf(inventory, 'paas', 'appengine')).toEqual(['10.0.0.3']);
    expect(modulesOf(inventory, '10.0.0.2')).toEqual(['appo', 'mysql', 'consul', 'paas']);
    expect(modulesOf(inventory, '10.9.9.9')).toEqual([]);
    expect(inventory.hosts[2]!.modules[3]).toEqual({ module: 'paas', projects: ['esb', 'login'] });
  });

  it('merges project lists of one module written on several tokens', () => {
    const text = `${BASE.replace(',paas', '')}\n10.0.0.1 paas(esb),paas(login-appengine)\n10.0.0.1 paas(paas)`;
    const { inventory, issues } = parseInstallConfig(text);
    expect(issues).toEqual([]);
    expect(inventory.hosts[0]!.modules.at(-1)).toEqual({
      module: 'paas',
      projects: ['esb', 'login', 'appengine', 'paas'],
    });
  });

  it('reports every problem of a file at once, syntax in file order, then cross-host', () => {
    const text = '10.0.0.256 mysql\n10.0.0.1 consul,gse\n10.0.0.2 consul,paas ,x';
    const { issues } = parseInstallConfig(text);
    expect(issues.map((i) => `${i.line}:${i.col}`)).toEqual([
      '1:1',
      '2:17',
      '3:21',
      '3:23',
      '3:10',
      '3:17',
      '3:17',
      '3:17',
    ]);
    expect(issues.slice(4).map((i) => i.message)).toEqual([
      'expected consul on 1, 3, 5 or 7 hosts (its servers), found 2 (10.0.0.1, 10.0.0.2)',
      'expected a host with mysql (paas needs it), found none',
      'expected a host with redis (paas needs it), found none',
      'expected a host with nginx (paas needs it), found none',
    ]);
  });
});
