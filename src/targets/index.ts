import type { TargetName } from '../model.ts';
import type { Target } from './types.ts';
import { scorm12 } from './scorm12.ts';
import { scorm2004 } from './scorm2004.ts';
import { web } from './web.ts';
import { xapi } from './xapi.ts';
import { cmi5 } from './cmi5.ts';
import { cc } from './cc/index.ts';

/** The targets this build can produce, by name. */
export const targets: Record<TargetName, Target> = { scorm12, scorm2004, xapi, cmi5, web, cc };
