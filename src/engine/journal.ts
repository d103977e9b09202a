// The controller's memory of finished steps and owed restarts, keyed by host and step.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

interface JournalData {
  version: 1;
  /** `host|module|command|step` → hash of the step's inputs when it last succeeded, on which host identity. */
  steps: Record<string, { hash: string; at: string; id?: string }>;
  /** `host|unit` → when the restart became owed (a copy of the hosts' own record, for plans). */
  owed: Record<string, string>;
  /** host → the identity it had when last seen. */
  hosts?: Record<string, string>;
}

export const stepKey = (host: string, module: string, command: string, step: string): string =>
  `${host}|${module}|${command}|${step}`;

/** A journal file that cannot be read: names the file and the ways out (exit code 2, nothing touched). */
export class JournalError extends Error {
  override name = 'JournalError';
}

/** Load, query, update and save the journal; saves are atomic and serialised. */
export class Journal {
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private data: JournalData,
  ) {}

  /** The journal of a control directory; `ignoreBroken` (--from-scratch) starts afresh over an unreadable one. */
  static async load(controlDir: string, ignoreBroken = false): Promise<Journal> {
    const path = join(controlDir, '.bkcec', 'journal.json');
    const fresh = () => new Journal(path, { version: 1, steps: {}, owed: {} });
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fresh();
      throw err;
    }
    let why: string;
    try {
      const data = JSON.parse(text) as JournalData;
      if (data?.version === 1 && typeof data.steps === 'object' && typeof data.owed === 'object')
        return new Journal(path, data);
      why = `expected a bkcec journal (version 1), found ${data?.version === undefined ? 'no version' : `version ${JSON.stringify(data.version)}`}`;
    } catch (err) {
      why = `expected JSON, found ${(err as Error).message}`;
    }
    if (ignoreBroken) return fresh();
    throw new JournalError(
      `${path}: ${why}\n` +
        'the journal remembers finished steps; without it every step runs again (steps are idempotent).\n' +
        `way out: run with --from-scratch (it replaces the journal), or move the file aside: mv ${path} ${path}.broken`,
    );
  }

  /** Done with these inputs, on the host with this identity (a rebuilt host has a new one). */
  isDone(key: string, hash: string, hostId?: string): boolean {
    const r = this.data.steps[key];
    return r?.hash === hash && r.id === hostId;
  }

  /** True when the step ever succeeded (whatever its inputs were then). */
  has(key: string): boolean {
    return key in this.data.steps;
  }

  markDone(key: string, hash: string, hostId?: string): void {
    this.data.steps[key] = { hash, at: new Date().toISOString(), ...(hostId ? { id: hostId } : {}) };
  }

  forget(key: string): void {
    delete this.data.steps[key];
  }

  /** Every (host, module) whose install finished: the step recording it in `.installed_module` succeeded. */
  installedPlacements(): { host: string; module: string }[] {
    return Object.keys(this.data.steps).flatMap((k) => {
      const [host, module, command, step] = k.split('|');
      return command === 'install' && step === 'installed-module' && host && module ? [{ host, module }] : [];
    });
  }

  /** Forgets `module` on `host` (its steps and owed restarts); a host left with no record is forgotten too. */
  forgetModule(host: string, module: string): void {
    for (const k of Object.keys(this.data.steps))
      if (k.startsWith(`${host}|${module}|`)) delete this.data.steps[k];
    for (const k of Object.keys(this.data.owed))
      if (k === `${host}|${module}` || k.startsWith(`${host}|${module}:`)) delete this.data.owed[k];
    if (!this.installedPlacements().some((p) => p.host === host)) {
      for (const k of Object.keys(this.data.steps)) if (k.startsWith(`${host}|`)) delete this.data.steps[k];
      for (const k of Object.keys(this.data.owed)) if (k.startsWith(`${host}|`)) delete this.data.owed[k];
      if (this.data.hosts) delete this.data.hosts[host];
    }
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

  lastHostId(host: string): string | undefined {
    return this.data.hosts?.[host];
  }

  setHostId(host: string, id: string): void {
    this.data.hosts = { ...this.data.hosts, [host]: id };
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
