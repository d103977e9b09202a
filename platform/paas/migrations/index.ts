import type { Migration } from '../common/db/migrate';
import { migration as login } from './0001_login';
import { migration as paas } from './0002_paas';
import { migration as esb } from './0003_esb';
import { migration as engine } from './0004_engine';
import { migration as engineRelease } from './0005_engine_release';
import { migration as engineSaas } from './0015_engine_saas';
import { migration as engineBrokers } from './0016_engine_brokers';

/** Every `open_paas` schema change in order; add new files as NNNN_name.ts and list them here. */
export const MIGRATIONS: readonly Migration[] = [
  login,
  paas,
  esb,
  engine,
  engineRelease,
  engineSaas,
  engineBrokers,
];
