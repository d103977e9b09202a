// appo: the agent host that runs production apps at /o/<code>/.
import { appAgentModule } from '../appagent/module';

/** Registered in src/modules/index.ts. */
export const appoModule = appAgentModule('appo');
