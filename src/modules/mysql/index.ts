// The platform's MariaDB: Debian's binaries, our my.cnf, data dir and supervisord program; initdata
// secures root and grants MYSQL_USER each database from exactly the hosts whose modules use it.
import type { ModuleDef } from '../../engine/types';
import { supervisedService } from '../common/supervised';
import { mysqlManifest } from './manifest';
import { configStep, grantsStep, mysqlService } from './steps';

const service = supervisedService(mysqlService);

/** The mysql module. */
export const mysqlModule: ModuleDef = {
  ...mysqlManifest,
  sync: service.sync,
  commands: {
    install: { steps: ({ vars: v, run }) => service.install(v, run) },
    render: { steps: async ({ vars: v }) => [await configStep(v)] },
    start: { steps: ({ vars: v }) => service.start(v) },
    stop: { steps: ({ vars: v }) => service.stop(v) },
    status: { steps: ({ vars: v }) => service.status(v) },
    initdata: { steps: ({ vars: v, run }) => [grantsStep(v, run)] },
  },
};
