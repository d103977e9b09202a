import { builtinComponents } from '../components/builtin';
import type { Component } from '../components/types';
import { bundledConfapis } from '../confapis/index';
import { confapiComponent } from '../forward/confapi';
import type { PlatformClient } from '../forward/platform';

/** A system as code and YAML declare it. */
export interface DesiredSystem {
  name: string;
  label: string;
  remark: string;
  docCategory: string;
}

/** The systems ESB knows in code (reference `BK_SYSTEMS`); YAML files may refine them. */
const BUILTIN_SYSTEMS: DesiredSystem[] = [
  { name: 'BK_LOGIN', label: '用户管理', remark: 'Users and login state', docCategory: '基础用户服务' },
  {
    name: 'BK_PAAS',
    label: '开发者中心',
    remark: 'Apps of the developer center',
    docCategory: '基础用户服务',
  },
  { name: 'CC', label: '配置平台', remark: 'Configuration platform (CMDB)', docCategory: '配置管理' },
  { name: 'GSE', label: '管控平台', remark: 'Agent control platform', docCategory: '主机管控' },
  { name: 'JOB', label: '作业平台', remark: 'Job platform', docCategory: '主机管控' },
  { name: 'CMSI', label: '消息管理', remark: 'Messages: mail, SMS, WeChat', docCategory: '基础用户服务' },
  { name: 'SOPS', label: '标准运维', remark: 'Standard operations', docCategory: '管理工具' },
  { name: 'MONITOR', label: '监控平台', remark: 'Monitoring', docCategory: '管理工具' },
  { name: 'ESB', label: 'API网关', remark: 'The API gateway itself', docCategory: '管理工具' },
];

/** Codes `sync_data_at_deploy` merges into the skip-user-auth whitelist. */
export const DEFAULT_WHITELIST = [
  'bk_paas_log_alert',
  'bk_cdman',
  'bk_fta_solutions',
  'fta_solutions',
  'gcloud',
  'bk_monitor',
];

/** What sync writes: systems and every component (built-in and YAML). */
export interface DesiredCatalog {
  systems: DesiredSystem[];
  components: Component[];
}

/** Systems from code, refined by the YAML files, plus all components (handlers unused by sync). */
export function desiredCatalog(): DesiredCatalog {
  const yaml = bundledConfapis();
  const systems = new Map(BUILTIN_SYSTEMS.map((s) => [s.name, { ...s }]));
  for (const s of yaml.systems)
    systems.set(s.name, { name: s.name, label: s.label, remark: s.remark, docCategory: s.doc_category });
  const unused = null as unknown as PlatformClient;
  const builtins = builtinComponents({
    login: unused,
    paas: unused,
    catalog: () => ({ systems: [], channels: [] }),
  });
  return {
    systems: [...systems.values()],
    components: [...builtins, ...yaml.apis.map((d) => confapiComponent(d, {}))],
  };
}
