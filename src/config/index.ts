// Public API of the controller's config layer: parse, validate and generate a control directory.
export * from '../inventory/index';
export { CONTROL_FILES, loadControlDir } from './control';
export { MODULE_PORTS, PORT_DEFAULTS } from './defaults';
export { type EnvValue, type EnvWhere, type ParsedEnv, parseEnvFile } from './envfile';
export { primaryIpv4 } from './hostip';
export { BASE_MODULES, type InitOptions, initControlDir, layoutHostLines } from './init';
export { formatIssue, InputError, type Issue, sortIssues } from './issues';
export {
  consulKeyProblem,
  domainProblem,
  installPathProblem,
  LOGIN_SYMBOLS,
  loginPasswordProblem,
  loginUserProblem,
  mysqlUserProblem,
  portProblem,
} from './rules';
export type { ControlConfig, SshSettings } from './types';
export { generatedNameProblem, hostVars, inventoryVars } from './vars';
