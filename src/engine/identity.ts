// Each host carries an identity, a random id made at first contact under INSTALL_PATH/.bkcec: the
// journal's records count only for the identity they were made on, so a rebuilt or wiped host is
// seen as new and every step runs there again.
import type { Transport } from '../transport/transport';
import { shQuote } from './script';

type Vars = Readonly<Record<string, string>>;

/** The host's bkcec state folder: identity, script lock, owed restarts. */
export const stateDir = (v: Vars): string => `${v.INSTALL_PATH || '/data/bkce'}/.bkcec`;

const ID = /^[0-9a-f]{32}$/;

/** Reads the host's identity, making it first when absent (atomic: two controllers agree on one). */
export async function hostIdentity(t: Transport, dir: string): Promise<string> {
  const d = shQuote(dir);
  const r = await t.run(`set -u
d=${d}
mkdir -p "$d" || exit 1
if [ ! -s "$d/host-id" ]; then
  od -An -N16 -tx1 /dev/urandom | tr -d ' \\n' > "$d/host-id.$$" && echo >> "$d/host-id.$$" && mv -n "$d/host-id.$$" "$d/host-id"
  rm -f "$d/host-id.$$"
fi
cat "$d/host-id"`);
  const id = r.stdout.trim();
  if (r.code !== 0 || !ID.test(id))
    throw new Error(
      `${t.host}: could not read or make the host identity ${dir}/host-id (exit ${r.code}): ${r.stderr.trim() || id}`,
    );
  return id;
}
