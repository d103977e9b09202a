// The modules install.config may name, from the manifests of the composition root (src/modules).
import { manifests } from '../modules';

/** A module name from install.config (one of MODULES once validated). */
export type ModuleName = string;

/** Every module, in the composition root's order. */
export const MODULES: readonly string[] = manifests.map((m) => m.name);

export function isModuleName(s: string): s is ModuleName {
  return MODULES.includes(s);
}

/** Projects a module is made of; a module without projects is one unit. */
export const PROJECTS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  manifests.filter((m) => m.projects?.length).map((m) => [m.name, m.projects!]),
);

/** The manifest of a module. */
export const manifestOf = (name: string) => manifests.find((m) => m.name === name);
