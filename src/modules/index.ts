// Every module bkcec knows, in deploy order (the engine sorts by `after` as well).
import type { ModuleDef } from '../engine/types';
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
