// The modules install.config may name, in deploy order.
export const MODULES = ['consul', 'license', 'mysql', 'redis', 'nginx', 'paas', 'appo', 'appt'] as const;
export type ModuleName = (typeof MODULES)[number];

export function isModuleName(s: string): s is ModuleName {
  return (MODULES as readonly string[]).includes(s);
}

/** Projects a module is made of; a module without projects is one unit. */
export const PROJECTS: Partial<Record<ModuleName, readonly string[]>> = {
  paas: ['appengine', 'paas', 'esb', 'login'],
};
