// One problem found in an operator's input file, and the error that carries all of them at once.

/** A problem at a 1-based line and column of a file; `message` reads "expected X, found Y". */
export interface Issue {
  file: string;
  line: number;
  col: number;
  message: string;
}

/** Formats one issue the way compilers do: `FILE:LINE:COL: message`. */
export function formatIssue(i: Issue): string {
  return `${i.file}:${i.line}:${i.col}: ${i.message}`;
}

/** Thrown when input files are wrong; the CLI turns it into exit code 2. Message = one issue per line. */
export class InputError extends Error {
  readonly issues: Issue[];

  constructor(issues: Issue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'InputError';
    this.issues = issues;
  }
}

/** Sorts issues by file (in first-seen order), then line, then column. */
export function sortIssues(issues: Issue[]): Issue[] {
  const fileOrder = new Map<string, number>();
  for (const i of issues) if (!fileOrder.has(i.file)) fileOrder.set(i.file, fileOrder.size);
  return [...issues].sort(
    (a, b) => fileOrder.get(a.file)! - fileOrder.get(b.file)! || a.line - b.line || a.col - b.col,
  );
}

/** Quotes a found token for a message: `'text'`, or a name for whitespace and the end of the line. */
export function shown(s: string | undefined): string {
  if (s === undefined || s === '') return 'end of line';
  if (s === ' ') return 'a space';
  if (s === '\t') return 'a tab';
  return `'${s}'`;
}
