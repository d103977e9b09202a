// appt: the agent host that runs test apps at /t/<code>/.
import { appAgentModule } from '../appagent/module';

/** Registered in src/modules/index.ts. */
export const apptModule = appAgentModule('appt');
