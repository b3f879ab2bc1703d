/**
 * xAPI as a Tin Can package: `tincan.xml` at the zip root names the course activity (id = the
 * course IRI, type course) and its launch page. The LMS launches `index.html` with the LRS
 * endpoint, credentials and learner in the query string; the package holds no credentials.
 */
import { x } from 'xastscript';
import { lmsTarget } from './types.ts';
import { xmlDocument } from './xml.ts';

export const TINCAN_NS = 'http://projecttincan.com/tincan.xsd';
export const COURSE_TYPE = 'http://adlnet.gov/expapi/activities/course';

/** The LRS is only known at launch, so the runtime may talk to any http(s) origin. */
export const LRS_CONNECT_SRC = "'self' https: http:";

export const xapi = lmsTarget('xapi', LRS_CONNECT_SRC, async ({ course }) => {
  const lang = course.language;
  const tincan = x('tincan', { xmlns: TINCAN_NS }, [
    x('activities', [
      x('activity', { id: course.id, type: COURSE_TYPE }, [
        x('name', { lang }, course.title),
        x('description', { lang }, course.description || course.title),
        x('launch', { lang }, 'index.html'),
      ]),
    ]),
  ]);
  return new Map([['tincan.xml', xmlDocument(tincan)]]);
});
