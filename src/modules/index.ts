// Every module bkcec knows, in deploy order (the engine sorts by `after` as well).
import type { ModuleDef } from '../engine/types';

export const moduleDefs: readonly ModuleDef[] = [];
