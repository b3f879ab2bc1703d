/**
 * cmi5: `cmi5.xml` (course structure, cmi5 §13–14) at the zip root with the course and one AU
 * that plays the whole course from `index.html`.
 * - AU id: `{course.id}/au` (an AU id must differ from the course id; stable across builds).
 * - moveOn: CompletedAndPassed when the course has a scoring quiz, Completed otherwise.
 * - masteryScore: the course's mastery (0..1, at most 4 decimals) when it has scoring.
 * - launchMethod AnyWindow: the AU works in a frame, a new window or a redirect.
 */
import { x } from 'xastscript';
import type { Course } from '../model.ts';
import { lmsTarget } from './types.ts';
import { LRS_CONNECT_SRC } from './xapi.ts';
import { xmlDocument } from './xml.ts';

export const CMI5_NS = 'https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd';

export const auId = (course: Course): string => `${course.id.replace(/\/+$/, '')}/au`;

export const moveOn = (course: Course): 'CompletedAndPassed' | 'Completed' =>
  course.scoring ? 'CompletedAndPassed' : 'Completed';

export const cmi5 = lmsTarget('cmi5', LRS_CONNECT_SRC, async ({ course }) => {
  const lang = course.language;
  const langstring = (name: string, value: string) => x(name, [x('langstring', { lang }, value)]);
  const titles = () => [langstring('title', course.title), langstring('description', course.description || course.title)];
  const masteryScore = course.scoring ? Math.round(course.scoring.mastery * 10000) / 10000 : undefined;
  const structure = x('courseStructure', { xmlns: CMI5_NS }, [
    x('course', { id: course.id }, titles()),
    // No masteryScore attribute at all without scoring (xastscript leaves out undefined values).
    x('au', { id: auId(course), moveOn: moveOn(course), masteryScore, launchMethod: 'AnyWindow' }, [
      ...titles(),
      x('url', 'index.html'),
    ]),
  ]);
  return new Map([['cmi5.xml', xmlDocument(structure)]]);
});
