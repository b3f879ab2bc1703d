/**
 * xAPI as a Tin Can package: `tincan.xml` at the zip root names the course activity (id = the
 * course IRI, type course) and its launch page. The LMS launches `index.html` with the LRS
 * endpoint, credentials and learner in the query string; the package holds no credentials.
 */
import { create } from 'xmlbuilder2';
import { lmsTarget } from './types.ts';

export const TINCAN_NS = 'http://projecttincan.com/tincan.xsd';
export const COURSE_TYPE = 'http://adlnet.gov/expapi/activities/course';

/** The LRS is only known at launch, so the runtime may talk to any http(s) origin. */
export const LRS_CONNECT_SRC = "'self' https: http:";

export const xapi = lmsTarget('xapi', LRS_CONNECT_SRC, async ({ course }) => {
  const lang = course.language;
  const act = create({ version: '1.0', encoding: 'UTF-8' })
    .ele(TINCAN_NS, 'tincan')
    .ele('activities')
    .ele('activity', { id: course.id, type: COURSE_TYPE });
  act.ele('name', { lang }).txt(course.title);
  act.ele('description', { lang }).txt(course.description || course.title);
  act.ele('launch', { lang }).txt('index.html');
  return new Map([['tincan.xml', act.end({ prettyPrint: true })]]);
});
