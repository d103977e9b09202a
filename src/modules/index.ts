// The composition root: every module bkcec knows. Inventory validation, variables, ports.env
// defaults, CLI help and `init` read the manifests from here; order comes from each one's `after`.
import type { ModuleDef, ModuleManifest } from '../engine/types';
import { appoModule } from './appo/module';
import { apptModule } from './appt/module';
import { consulModule } from './consul/module';
import { licenseModule } from './license/module';
import { mysqlModule } from './mysql';
import { nginxModule } from './nginx';
import { paasModule } from './paas/module';
import { redisModule } from './redis';

export const moduleDefs: readonly ModuleDef[] = [
  consulModule,
  licenseModule,
  mysqlModule,
  redisModule,
  nginxModule,
  paasModule,
  appoModule,
  apptModule,
];

/** The manifests alone (what install.config, ports.env and help are checked and written from). */
export const manifests: readonly ModuleManifest[] = moduleDefs;
