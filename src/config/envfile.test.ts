// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the inputs are shell syntax, not templates
import { describe, expect, it } from 'vitest';
import { parseEnvFile } from './envfile';

/** [name, line text, expected col on line 1, message fragment] */
const BAD: [string, string, number, string][] = [
  ['command substitution', 'export A=$(hostname)', 10, "expected no command substitution, found '$('"],
  ['command substitution in quotes', 'A="x$(id)"', 5, "found '$('"],
  ['backticks unquoted', 'A=`id`', 3, "found '`' which needs a shell"],
  ['backticks in double quotes', 'A="a`id`"', 5, "expected no command substitution, found '`'"],
  ['semicolon', 'A=1;B=2', 4, "found ';' which needs a shell"],
  ['and-and', 'A=1&&echo', 4, "found '&' which needs a shell"],
  ['pipe', 'A=1|x', 4, "found '|'"],
  ['redirect', 'A=1>f', 4, "found '>'"],
  ['unterminated single quote', "A='abc", 3, "expected a closing ', found end of line"],
  ['unterminated double quote', 'export A="abc', 10, 'expected a closing ", found end of line'],
  ['unknown variable', 'A=$NOPE', 3, 'expected $NOPE to be defined earlier, found no definition'],
  ['unknown braced variable', 'A="${NOPE}"', 4, 'expected $NOPE to be defined earlier'],
  ['parameter operator', 'A=${B:-x}', 3, "expected ${NAME}, found '${B:-x}'"],
  ['unclosed brace', 'A=${B', 3, "expected ${NAME}, found '${B'"],
  [
    'positional parameter',
    'A=a$1',
    4,
    "expected a variable name after '$' (write \\$ for a dollar sign), found '1'",
  ],
  ['trailing dollar', 'A=a$', 4, "after '$' (write \\$ for a dollar sign), found end of line"],
  ['glob star', 'A=a*b', 4, "expected glob characters to be quoted, found '*'"],
  ['tilde', 'A=~/key', 3, "expected a full path, found '~'"],
  ['line continuation', 'A=abc\\', 6, "expected the value on one line, found '\\' at end of line"],
  ['command line', 'shopt -s nullglob', 1, "expected NAME=value, found 'shopt -s nullglob'"],
  ['space before equals', 'A =1', 2, "expected '=' right after A, found a space"],
  ['bad name', '1A=x', 1, "expected NAME=value, found '1A=x'"],
  ['export alone', 'export   ', 10, 'expected NAME=value, found end of line'],
  ['second word', 'A=b c', 5, "expected end of line or a # comment after the value, found 'c'"],
  ['unclosed array', 'X=( a b', 3, "expected ')' to close this array, found end of line"],
  ['unquoted paren in array', 'X=( a( )', 6, "found '(' which needs a shell"],
  ['array used as scalar', 'X=( a b )\nA=$X', 3, 'expected $X to be a single value, found an array'],
];

describe('parseEnvFile: refused lines', () => {
  it.each(BAD)('%s', (_name, text, col, fragment) => {
    const { issues, vars } = parseEnvFile(text, '/ctl/globals.env');
    const line = text.split('\n').length;
    expect(issues, JSON.stringify(issues)).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: '/ctl/globals.env', line, col });
    expect(issues[0]!.message).toContain(fragment);
    expect(vars.has('A')).toBe(false);
  });
});

describe('parseEnvFile: accepted syntax', () => {
  it('reads export, quotes, escapes, references, arrays and comments', () => {
    const text = [
      '# a comment',
      '   # an indented comment',
      '',
      'export BK_DOMAIN=bking.com',
      'PAAS_FQDN=paas.$BK_DOMAIN   # trailing comment',
      'export SINGLE=\'a $b \\n "c" # not a comment\'',
      'DOUBLE="x \\" \\\\ \\$ \\` \\n ${BK_DOMAIN}"',
      'ESC=a\\ b\\;c',
      'EMPTY=',
      "EMPTY2=''",
      'HASH=a#b',
      'ARR=( one \'two three\' "$BK_DOMAIN" )  # arr',
      'NONE=()',
      'TABS=foo\t',
      'CRLF=yes\r',
      'export   SPACED=1',
    ].join('\n');
    const { vars, issues, where } = parseEnvFile(text, 'g.env');
    expect(issues).toEqual([]);
    expect(Object.fromEntries(vars)).toEqual({
      BK_DOMAIN: 'bking.com',
      PAAS_FQDN: 'paas.bking.com',
      SINGLE: 'a $b \\n "c" # not a comment',
      DOUBLE: 'x " \\ $ ` \\n bking.com',
      ESC: 'a b;c',
      EMPTY: '',
      EMPTY2: '',
      HASH: 'a#b',
      ARR: ['one', 'two three', 'bking.com'],
      NONE: [],
      TABS: 'foo',
      CRLF: 'yes',
      SPACED: '1',
    });
    expect(where.get('PAAS_FQDN')).toEqual({ line: 5, col: 1, valueCol: 11 });
    expect(where.get('BK_DOMAIN')).toEqual({ line: 4, col: 8, valueCol: 18 });
  });

  it('accepts a byte-order mark, CRLF, tabs and trailing blanks', () => {
    const text =
      '\ufeffexport BK_DOMAIN=bking.com\r\nexport\tPAAS_FQDN=paas.$BK_DOMAIN \t\r\n\tX=1\t# note\r\n';
    const { vars, issues } = parseEnvFile(text, 'g.env');
    expect(issues).toEqual([]);
    expect(Object.fromEntries(vars)).toEqual({ BK_DOMAIN: 'bking.com', PAAS_FQDN: 'paas.bking.com', X: '1' });
  });

  it.each([
    ['BK_DOMAIN=bking.com\u00a0', 20, 'U+00A0 no-break space'],
    ['BK_DOMAIN=bk\u200bing.com', 13, 'U+200B zero-width space'],
    ['\u200bBK_DOMAIN=bking.com', 1, 'U+200B zero-width space'],
    ['BK_DOMAIN="bking.com\u2060"', 21, 'U+2060 word joiner'],
  ])('names the invisible character in %j', (line, col, name) => {
    const { issues, vars } = parseEnvFile(`A=1\n${line}\n`, 'g.env');
    expect(issues).toEqual([
      {
        file: 'g.env',
        line: 2,
        col,
        message: `expected only visible characters, spaces and tabs, found ${name}`,
      },
    ]);
    // The rest of the line still parses as if the character were not there.
    expect(vars.get('BK_DOMAIN')).toBe('bking.com');
  });

  it('names a byte-order mark that is not at the start of the file', () => {
    const { issues } = parseEnvFile('A=1\n\ufeffB=2\n', 'p.env');
    expect(issues.map((i) => `${i.line}:${i.col}: ${i.message}`)).toEqual([
      '2:1: expected only visible characters, spaces and tabs, found U+FEFF byte-order mark',
    ]);
  });

  it('expands names of an earlier file, this file first, never the process environment', () => {
    const earlier = new Map([['DEFAULT_HTTP_PORT', '80']]);
    const ok = parseEnvFile(
      'PAAS_HTTP_PORT=$DEFAULT_HTTP_PORT\nDEFAULT_HTTP_PORT=81\nB=$DEFAULT_HTTP_PORT',
      'p',
      earlier,
    );
    expect(Object.fromEntries(ok.vars)).toEqual({ PAAS_HTTP_PORT: '80', DEFAULT_HTTP_PORT: '81', B: '81' });
    expect(parseEnvFile('A=$HOME', 'p').issues[0]!.message).toContain('expected $HOME to be defined earlier');
  });

  it('reports every bad line of a file, each on its own line number', () => {
    const { issues, vars } = parseEnvFile('A=1\nB=$(x)\nC=2\nD="\nE=3', 'f');
    expect(issues.map((i) => `${i.line}:${i.col}`)).toEqual(['2:3', '4:3']);
    expect([...vars.keys()]).toEqual(['A', 'C', 'E']);
  });
});
