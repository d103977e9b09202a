// The controller's memory of finished steps and owed restarts, keyed by host and step.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

interface JournalData {
  version: 1;
  /** `host|module|command|step` → hash of the step's inputs when it last succeeded. */
  steps: Record<string, { hash: string; at: string }>;
  /** `host|unit` → when the restart became owed. */
  owed: Record<string, string>;
}

export const stepKey = (host: string, module: string, command: string, step: string): string =>
  `${host}|${module}|${command}|${step}`;

/** Load, query, update and save the journal; saves are atomic and serialised. */
export class Journal {
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private data: JournalData,
  ) {}

  static async load(controlDir: string): Promise<Journal> {
    const path = join(controlDir, '.bkcec', 'journal.json');
    try {
      const data = JSON.parse(await readFile(path, 'utf8')) as JournalData;
      if (data.version !== 1) throw new Error(`${path}: expected journal version 1, found ${data.version}`);
      return new Journal(path, data);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        return new Journal(path, { version: 1, steps: {}, owed: {} });
      throw err;
    }
  }

  isDone(key: string, hash: string): boolean {
    return this.data.steps[key]?.hash === hash;
  }

  /** True when the step ever succeeded (whatever its inputs were then). */
  has(key: string): boolean {
    return key in this.data.steps;
  }

  markDone(key: string, hash: string): void {
    this.data.steps[key] = { hash, at: new Date().toISOString() };
  }

  forget(key: string): void {
    delete this.data.steps[key];
  }

  owe(host: string, unit: string): void {
    this.data.owed[`${host}|${unit}`] ??= new Date().toISOString();
  }

  isOwed(host: string, unit: string): boolean {
    return `${host}|${unit}` in this.data.owed;
  }

  clearOwed(host: string, unit: string): void {
    delete this.data.owed[`${host}|${unit}`];
  }

  /** Restarts still owed, as `host|unit` strings. */
  owedList(): string[] {
    return Object.keys(this.data.owed);
  }

  /** Writes the journal (temp file + rename, mode 0600); concurrent calls are chained. */
  save(): Promise<void> {
    const text = JSON.stringify(this.data, null, 1);
    this.saving = this.saving.then(async () => {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      const tmp = `${this.path}.${process.pid}.tmp`;
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, this.path);
    });
    return this.saving;
  }
}
