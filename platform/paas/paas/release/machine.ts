// The app state machine of deploys (reference §3.4), as pure functions over an app's state.
import { t } from '../../common/i18n';

/** App states (`paas_app.state`). */
export const STATE = {
  offline: 0,
  development: 1,
  testing: 3,
  online: 4,
  toTest: 8,
  toProd: 9,
  toOffline: 10,
} as const;

/** Release operations and the `operate_id` of their record while running / when done. */
export type Operation = 'test' | 'online' | 'offline';
export const OPERATE_ID = {
  done: { test: 0, online: 1, offline: 2 },
  running: { test: 3, online: 4, offline: 5 },
} as const;

export type OfflineMode = 'all' | 'test' | 'prod';

/** What the machine needs to know about an app. */
export interface AppState {
  state: number;
  is_already_test: number;
  is_already_online: number;
}

/** Why `op` is not allowed now (in the request language), or null when it is. */
export function refusal(a: AppState, op: Operation, mode: OfflineMode = 'all'): string | null {
  const s = a.state;
  if (s === STATE.toTest || s === STATE.toProd || s === STATE.toOffline) return t('why.running');
  if (op === 'test') return null;
  if (op === 'online')
    return s === STATE.offline || s === STATE.testing
      ? null
      : s === STATE.online
        ? t('why.online_retest')
        : t('why.test_first');
  if (s !== STATE.offline && s !== STATE.testing && s !== STATE.online) return t('why.never_deployed');
  const test = a.is_already_test === 1;
  const prod = a.is_already_online === 1;
  if (mode === 'test' && !test) return t('why.not_test');
  if (mode === 'prod' && !prod) return t('why.not_prod');
  if (mode === 'all' && !test && !prod) return t('why.not_anywhere');
  return null;
}

/** The state while `op` runs. */
export function interim(op: Operation): number {
  return op === 'test' ? STATE.toTest : op === 'online' ? STATE.toProd : STATE.toOffline;
}

/** The app's state and flags after `op` finished (`ok` false → the old state, flags unchanged). */
export function nextState(old: AppState, op: Operation, ok: boolean, mode: OfflineMode = 'all'): AppState {
  if (!ok) return { ...old };
  if (op === 'test') return { ...old, state: STATE.testing, is_already_test: 1 };
  if (op === 'online') return { ...old, state: STATE.online, is_already_online: 1 };
  if (mode === 'all') return { state: STATE.offline, is_already_test: 0, is_already_online: 0 };
  if (mode === 'prod') return { ...old, state: STATE.offline, is_already_online: 0 };
  return { ...old, state: old.is_already_online === 1 ? old.state : STATE.offline, is_already_test: 0 };
}

/** Which environments an offline of `mode` touches. */
export function offlineEnvs(a: AppState, mode: OfflineMode): ('test' | 'prod')[] {
  const envs: ('test' | 'prod')[] = [];
  if (mode !== 'prod' && a.is_already_test === 1) envs.push('test');
  if (mode !== 'test' && a.is_already_online === 1) envs.push('prod');
  return envs;
}
