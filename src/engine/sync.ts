// The sync phase: ship each host the parts of the package directory its modules need.
import { join } from 'node:path';
import { syncTree } from '../transport/sync';
import type { Transport } from '../transport/transport';
import { dropDebt, oweAhead } from './debt';
import type { EventSink } from './events';
import { exitMeaning } from './exitcodes';
import { treeFingerprint } from './fingerprint';
import { type Journal, stepKey } from './journal';
import type { HostContext, ModuleDef, SyncSpec } from './types';

export interface SyncHostArgs {
  host: string;
  /** The shipping command (its journal records are keyed by it). */
  command: string;
  /** Modules placed on this host, each with the host context to ask it for its specs. */
  modules: { def: ModuleDef; ctx: HostContext }[];
  pkgDir: string;
  journal: Journal;
  fromScratch: boolean;
  dryRun: boolean;
  transport: () => Promise<Transport>;
  emit: EventSink;
  /** The host's identity: what the journal recorded counts only for it. */
  hostId?: string;
  /** The host's bkcec state folder (owed restarts). */
  stateDir: string;
}

/** Syncs every spec of every module on one host; true when all succeeded. */
export async function syncHost(a: SyncHostArgs): Promise<boolean> {
  for (const { def, ctx } of a.modules) {
    let specs: SyncSpec[];
    try {
      specs = def.sync?.(ctx) ?? [];
    } catch (err) {
      const base = {
        host: a.host,
        module: def.name,
        command: a.command,
        step: 'package',
        title: `find ${def.name}'s package files`,
      };
      a.emit({ type: 'step', ...base, outcome: 'failed' });
      a.emit({
        type: 'failure',
        ...base,
        code: 1,
        meaning: exitMeaning(1),
        stderrTail: String((err as Error).message ?? err).split('\n'),
      });
      return false;
    }
    for (const spec of specs) {
      if (!(await syncSpec(a, def.name, spec))) return false;
    }
  }
  if (!a.dryRun) await a.journal.save();
  return true;
}

async function syncSpec(a: SyncHostArgs, module: string, spec: SyncSpec): Promise<boolean> {
  const base = {
    host: a.host,
    module,
    command: a.command,
    step: spec.remote,
    title: `ship ${spec.local} → ${spec.remote}`,
  };
  const local = join(a.pkgDir, spec.local);
  const started = Date.now();
  try {
    const print = await treeFingerprint(local);
    const key = stepKey(a.host, module, a.command, spec.remote);
    if (!a.fromScratch && a.journal.isDone(key, print, a.hostId)) {
      a.emit({ type: 'step', ...base, outcome: 'skipped', reason: 'package unchanged since last sync' });
      return true;
    }
    if (a.dryRun) {
      a.emit({
        type: 'step',
        ...base,
        outcome: 'would-run',
        reason: a.journal.has(key) ? 'package changed' : 'not done before',
      });
      return true;
    }
    const t = await a.transport();
    // A changed program file makes the module's restart owed: recorded before the files move.
    const made = await oweAhead(t, a.stateDir, module);
    const r = await syncTree(t, local, spec.remote, { delete: true });
    const changed = r.sent.length + r.deleted.length > 0;
    if (!changed && made) await dropDebt(t, a.stateDir, module);
    a.journal.markDone(key, print, a.hostId);
    if (changed) a.journal.owe(a.host, module);
    a.emit({
      type: 'step',
      ...base,
      outcome: changed ? 'changed' : 'ok',
      reason: `${r.sent.length} sent, ${r.deleted.length} deleted, ${r.unchanged} unchanged`,
      ms: Date.now() - started,
    });
    return true;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    a.emit({ type: 'step', ...base, outcome: 'failed', ms: Date.now() - started });
    a.emit({ type: 'failure', ...base, code: 255, meaning: exitMeaning(1), stderrTail: message.split('\n') });
    return false;
  }
}
