// The manifest of a backup archive: what it holds, each file with its size and SHA-256, so a
// restore can refuse a damaged archive before it changes anything.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const FORMAT = 'bkcec-backup/1';
export const MANIFEST = 'manifest.json';

/** Archive member names bkcec writes: `db/…` dumps and `control/…` files, nothing else. */
const NAME = /^(db\/[a-z0-9_]+\.sql|control\/(?!.*\/\.\.?\/)[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*)$/;

const Entry = z.object({
  path: z.string().regex(NAME, 'expected db/<name>.sql or control/<file>'),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const Manifest = z.object({
  format: z.literal(FORMAT),
  created: z.string(),
  /** PAAS_FQDN and hosts of the platform the archive came from (for the operator). */
  source: z.object({ fqdn: z.string(), mysqlHost: z.string() }),
  databases: z.array(z.string().regex(/^(open_paas|bkapp_[a-z0-9_-]+)$/)),
  /** S-mart packages held in the dump (engine_saas_packages), listed for the operator. */
  packages: z.array(z.object({ app_code: z.string(), version: z.string(), md5: z.string() })),
  files: z.array(Entry),
});
export type Manifest = z.infer<typeof Manifest>;
export type ManifestEntry = z.infer<typeof Entry>;

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** An entry for `data` stored at `path` in the archive. */
export const entryOf = (path: string, data: Buffer): ManifestEntry => ({
  path,
  size: data.length,
  sha256: sha256(data),
});

/**
 * Problems of an unpacked archive at `dir` against its manifest: a file missing, of another size or
 * checksum, or present without being listed. Empty when the archive is whole.
 */
export async function verifyUnpacked(
  dir: string,
  m: Manifest,
  present: readonly string[],
): Promise<string[]> {
  const problems: string[] = [];
  const listed = new Set(m.files.map((f) => f.path));
  for (const p of present)
    if (p !== MANIFEST && !listed.has(p)) problems.push(`${p}: in the archive but not in its manifest`);
  for (const f of m.files) {
    const data = await readFile(join(dir, f.path)).catch(() => undefined);
    if (!data) problems.push(`${f.path}: listed in the manifest, missing from the archive`);
    else if (data.length !== f.size)
      problems.push(`${f.path}: expected ${f.size} bytes, found ${data.length}`);
    else if (sha256(data) !== f.sha256) problems.push(`${f.path}: SHA-256 differs from the manifest`);
  }
  return problems;
}
