// The loaded control directory, as every other part of the controller sees it.
import type { Inventory } from '../inventory/inventory';
import type { EnvValue } from './envfile';

/** How the controller reaches hosts (globals.env BK_SSH_*; paths resolved against the control dir). */
export interface SshSettings {
  user: string;
  port: number;
  keyPath?: string;
  knownHostsPath?: string;
}

/** install.config + globals.env + ports.env of one control directory, validated. */
export interface ControlConfig {
  /** Absolute path of the control directory. */
  dir: string;
  inventory: Inventory;
  globals: Map<string, EnvValue>;
  ports: Map<string, EnvValue>;
  ssh: SshSettings;
}
