// Shell text helpers: quoting for the few values that go on a remote command line (paths, never
// secrets), and the wrapper that keeps a script's commands from reading the script itself.

/** `s` as one single-quoted POSIX shell word. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * `script` as one `{ … } </dev/null` group for `bash -s`: bash reads the whole script before it
 * runs any of it (a syntax error runs nothing), and commands that read stdin (cat, mysql, apt)
 * get /dev/null instead of eating the rest of the script.
 */
export function stdinScript(script: string): string {
  return `{\n${script}\n} </dev/null\n`;
}
