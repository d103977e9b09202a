// Control files as editors save them: a UTF-8 byte-order mark, CRLF line ends, tabs and trailing
// blanks are fine; an invisible character anywhere else is named ("U+00A0 no-break space"), never
// echoed as if it were visible text.

/** Names of the invisible characters people most often paste by accident. */
const NAMES: Record<number, string> = {
  0: 'NUL character',
  13: 'carriage return (a CR that does not end a line)',
  27: 'escape character',
  127: 'delete character',
  133: 'next-line control character',
  160: 'no-break space',
  173: 'soft hyphen',
  5760: 'ogham space mark',
  6158: 'Mongolian vowel separator',
  8203: 'zero-width space',
  8204: 'zero-width non-joiner',
  8205: 'zero-width joiner',
  8206: 'left-to-right mark',
  8207: 'right-to-left mark',
  8232: 'line separator',
  8233: 'paragraph separator',
  8239: 'narrow no-break space',
  8287: 'medium mathematical space',
  8288: 'word joiner',
  12288: 'ideographic (full-width) space',
  65279: 'byte-order mark',
};

/** Any invisible character but the plain space and tab: controls, format characters, other spaces. */
const INVISIBLE = /(?![ \t])[\s\p{Cc}\p{Cf}\p{Z}]/u;
const BLANKISH = /[\p{Zs}\p{Zl}\p{Zp}\u0085\u000b\u000c]/u;

/** `U+200B zero-width space`: the code point and what it is. */
export function charName(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  const name =
    NAMES[cp] ??
    (/\p{Cc}/u.test(ch)
      ? 'control character'
      : BLANKISH.test(ch)
        ? 'space character'
        : 'invisible format character');
  return `U+${hex} ${name}`;
}

/** The file's lines: a leading byte-order mark dropped, `\r\n` and `\n` both ending a line. */
export function textLines(text: string): string[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return body.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

export interface Invisible {
  /** 1-based column. */
  col: number;
  message: string;
}

/**
 * Finds the invisible characters of a line. Returns one problem per character and the line to parse
 * on: spaces of other kinds become a plain space, other invisible characters are dropped, so the rest
 * of the line is still checked without follow-on errors.
 */
export function invisibles(line: string): { problems: Invisible[]; clean: string } {
  if (!INVISIBLE.test(line)) return { problems: [], clean: line };
  const problems: Invisible[] = [];
  let clean = '';
  let col = 1;
  for (const ch of line) {
    if (INVISIBLE.test(ch)) {
      problems.push({
        col,
        message: `expected only visible characters, spaces and tabs, found ${charName(ch)}`,
      });
      if (BLANKISH.test(ch)) clean += ' ';
    } else clean += ch;
    col += ch.length;
  }
  return { problems, clean };
}
