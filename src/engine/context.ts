// What the engine needs to know about the inventory: a narrow view, so tests can build it by hand.

export interface EngineInventory {
  controlDir: string;
  /** Every host of install.config, in order. */
  hosts: readonly string[];
  /** Hosts listing `module`, in order. */
  hostsOf(module: string): string[];
  /** Projects of `module` on `ip` from install.config; undefined = all. */
  projectsOf(ip: string, module: string): readonly string[] | undefined;
  /** The variable store of a host. */
  varsOf(ip: string): Readonly<Record<string, string>>;
}
