import type { Pool } from '../../common/db/pool';
import { exec, one, rows } from '../../common/db/pool';
import type { CheckedPackage } from './validate';

const CHUNK = 4 * 1024 * 1024;

/** A stored package as listed. */
export interface PackageRow {
  id: number;
  app_code: string;
  version: string;
  file_name: string;
  size: number;
  md5: string;
  created_at: Date;
}

/** Store a checked package and its file (in chunks); on any failure nothing stays behind. */
export async function savePackage(
  db: Pool,
  p: CheckedPackage,
  buf: Buffer,
  fileName: string,
  by: string,
): Promise<number> {
  const { insertId } = await exec(
    db,
    'INSERT INTO engine_saas_packages (app_code, version, file_name, size, md5, app_yml, uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [p.meta.app_code, p.meta.version, fileName, p.size, p.md5, p.yml, by],
  );
  try {
    for (let i = 0, seq = 0; i < buf.length; i += CHUNK, seq++)
      await exec(db, 'INSERT INTO engine_saas_package_chunks (package_id, seq, data) VALUES (?, ?, ?)', [
        insertId,
        seq,
        buf.subarray(i, i + CHUNK),
      ]);
  } catch (e) {
    await deletePackage(db, insertId);
    throw e;
  }
  return insertId;
}

export async function deletePackage(db: Pool, id: number): Promise<void> {
  await exec(db, 'DELETE FROM engine_saas_package_chunks WHERE package_id = ?', [id]);
  await exec(db, 'DELETE FROM engine_saas_packages WHERE id = ?', [id]);
}

export const packageRow = (db: Pool, id: number) =>
  one<PackageRow>(
    db,
    'SELECT id, app_code, version, file_name, size, md5, created_at FROM engine_saas_packages WHERE id = ?',
    [id],
  );

/** The app's packages, newest first. */
export const packagesOf = (db: Pool, code: string) =>
  rows<PackageRow>(
    db,
    'SELECT id, app_code, version, file_name, size, md5, created_at FROM engine_saas_packages WHERE app_code = ? ORDER BY id DESC',
    [code],
  );

/** The package file, put back together. */
export async function packageFile(db: Pool, id: number): Promise<Buffer> {
  const parts = await rows<{ data: Buffer }>(
    db,
    'SELECT data FROM engine_saas_package_chunks WHERE package_id = ? ORDER BY seq',
    [id],
  );
  return Buffer.concat(parts.map((p) => p.data));
}
