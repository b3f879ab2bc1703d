/**
 * The cmi5 IRIs and document ids (cmi5 §9.6, §10, §11), defined once: the runtime builds its
 * statements with them, and the preview's LMS stand-in and the tests can import them from here.
 * Separate constants, so a bundle carries only those it uses.
 */
const CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/';
const EXTENSION = 'https://w3id.org/xapi/cmi5/context/extensions/';

export const CMI5_CATEGORY = CATEGORY + 'cmi5';
export const CMI5_MOVEON_CATEGORY = CATEGORY + 'moveon';
/** The session id extension the LMS puts in LaunchData's contextTemplate (§9.6.3.1). */
export const CMI5_SESSION_ID = EXTENSION + 'sessionid';
export const CMI5_MASTERY_SCORE = EXTENSION + 'masteryscore';
export const CMI5_LAUNCH_MODE = EXTENSION + 'launchmode';
export const CMI5_LAUNCH_URL = EXTENSION + 'launchurl';
export const CMI5_MOVEON = EXTENSION + 'moveon';
export const CMI5_LAUNCH_PARAMETERS = EXTENSION + 'launchparameters';

/** State document the LMS writes before launch (§10). */
export const CMI5_LAUNCH_DATA = 'LMS.LaunchData';
/** Agent Profile document of the learner's preferences (§11). */
export const CMI5_LEARNER_PREFERENCES = 'cmi5LearnerPreferences';
