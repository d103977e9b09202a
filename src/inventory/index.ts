// Public API of the inventory: install.config parsing, cross-host rules, placement queries.
export {
  allIps,
  consulServers,
  type HostEntry,
  hostsOf,
  type Inventory,
  modulesOf,
  type Placement,
  placementOf,
  runsProject,
} from './inventory';
export { ipv4Problem, isLoopback } from './ipv4';
export { isModuleName, MODULES, type ModuleName, PROJECTS } from './modules';
export { type ParsedInstallConfig, type Positions, parseInstallConfig } from './parse';
export { validateInventory, type Where } from './validate';
