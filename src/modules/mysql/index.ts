// The platform's MariaDB: Debian's binaries, our my.cnf, data dir and supervisord program; initdata
// secures root and grants MYSQL_USER each database from exactly the hosts whose modules use it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ModuleDef } from '../../engine/types';
import { distroServiceOffStep, packagesStep } from '../common/packages';
import { programsStep, startStep, statusStep, stopStep, supervisordSteps } from '../common/supervisor';
import { mysqlManifest } from './manifest';
import {
  configStep,
  dataDirStep,
  etcLinkStep,
  grantsStep,
  mysqlConsulStep,
  mysqlProgram,
  queryStep,
  readyStep,
} from './steps';

type Vars = Readonly<Record<string, string>>;
const debDir = (v: Vars) => `${v.INSTALL_PATH}/src/debs/mysql`;
const supervisord = (v: Vars) => supervisordSteps(v).map((s) => ({ ...s, always: true }));

/** The mysql module. */
export const mysqlModule: ModuleDef = {
  ...mysqlManifest,
  sync: (h) =>
    existsSync(join(h.run.pkgDir, 'debs', 'mysql')) ? [{ local: 'debs/mysql', remote: debDir(h.vars) }] : [],
  commands: {
    install: {
      steps: async ({ vars: v }) => [
        packagesStep(['mariadb-server', 'mariadb-client', 'supervisor'], v, debDir(v)),
        distroServiceOffStep(['mariadb']),
        await configStep(v),
        etcLinkStep(v),
        dataDirStep(v),
        ...supervisord(v),
        programsStep(v, 'mysql', [mysqlProgram(v)]),
        mysqlConsulStep(v),
      ],
    },
    render: { steps: async ({ vars: v }) => [await configStep(v)] },
    start: { steps: ({ vars: v }) => [...supervisord(v), startStep(v, 'mysql'), readyStep(v)] },
    stop: { steps: ({ vars: v }) => [stopStep(v, 'mysql')] },
    status: { steps: ({ vars: v }) => [statusStep(v, 'mysql'), queryStep(v)] },
    initdata: { steps: ({ vars: v }) => [grantsStep(v)] },
  },
};
