// Writing one value of globals.env in place (atomic, 0600): the control directory is where every
// later render reads a secret from, so a rotation writes it before any host takes the new value.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Sets `export NAME='value'` in DIR/globals.env (replacing its assignment, else appending). */
export async function setGlobal(dir: string, name: string, value: string): Promise<void> {
  if (!/^[A-Z][A-Z0-9_]*$/.test(name))
    throw new Error(`expected a variable name, found ${JSON.stringify(name)}`);
  if (/['\n\r]/.test(value))
    throw new Error(`${name}: a value with a quote or a line break cannot be written`);
  const file = join(dir, 'globals.env');
  const text = await readFile(file, 'utf8');
  const line = `export ${name}='${value}'`;
  const re = new RegExp(`^[ \\t]*(export[ \\t]+)?${name}=.*$`, 'm');
  const next = re.test(text) ? text.replace(re, () => line) : `${text.replace(/\s*$/, '\n')}${line}\n`;
  await writeFile(`${file}.bkcec-new`, next, { mode: 0o600 });
  await rename(`${file}.bkcec-new`, file);
}
