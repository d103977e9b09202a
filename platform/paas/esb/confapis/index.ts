import type { Component } from '../components/types';
import { confapiComponent } from '../forward/confapi';
import type { EsbSettings } from '../settings';
import { CONFAPI_FILES } from './bundle.gen';
import { confapiDefs } from './schema';

/** The bundled declarative definitions (systems and APIs) from `confapis/*.yaml`. */
export function bundledConfapis() {
  return confapiDefs(CONFAPI_FILES);
}

/** The bundled declarative components, forwarding to the hosts in `esb.systems`. */
export function confapiComponents(systems: EsbSettings['systems']): Component[] {
  return bundledConfapis().apis.map((def) => confapiComponent(def, systems));
}
