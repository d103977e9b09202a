// Owed restarts kept on the host (INSTALL_PATH/.bkcec/owed/<unit>): written before a change can
// happen, removed by the step that performed the restart. Scripts do this in bk_step (script.ts);
// these helpers do it for work the controller drives itself (sync).
import type { Transport } from '../transport/transport';
import { shQuote } from './script';

/** Records a debt for `unit` unless one is there; true when this call made it. */
export async function oweAhead(t: Transport, stateDir: string, unit: string): Promise<boolean> {
  const f = shQuote(`${stateDir}/owed/${unit}`);
  const r = await t.run(
    `mkdir -p ${shQuote(`${stateDir}/owed`)} && if [ -e ${f} ]; then echo old; else echo "$(date +%s%N) $$" > ${f} && echo new; fi`,
  );
  if (r.code !== 0)
    throw new Error(`${t.host}: could not record an owed restart in ${stateDir}/owed: ${r.stderr.trim()}`);
  return r.stdout.trim() === 'new';
}

/** Removes a debt this run made ahead of a change that did not happen. */
export async function dropDebt(t: Transport, stateDir: string, unit: string): Promise<void> {
  await t.run(`rm -f ${shQuote(`${stateDir}/owed/${unit}`)}`);
}

/** The units owed on a host. */
export async function owedOnHost(t: Transport, stateDir: string): Promise<string[]> {
  const r = await t.run(`ls -1 ${shQuote(`${stateDir}/owed`)} 2>/dev/null || true`);
  return r.stdout.split('\n').filter(Boolean).sort();
}
