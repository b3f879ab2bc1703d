/**
 * cmi5: `cmi5.xml` (course structure, cmi5 §13–14) at the zip root with the course and one AU
 * that plays the whole course from `index.html`.
 * - AU id: `{course.id}/au` (an AU id must differ from the course id; stable across builds).
 * - moveOn: CompletedAndPassed when the course has a scoring quiz, Completed otherwise.
 * - masteryScore: the course's mastery (0..1, at most 4 decimals) when it has scoring.
 * - launchMethod AnyWindow: the AU works in a frame, a new window or a redirect.
 */
import { create } from 'xmlbuilder2';
import type { Course } from '../model.ts';
import { lmsTarget } from './types.ts';
import { LRS_CONNECT_SRC } from './xapi.ts';

export const CMI5_NS = 'https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd';

export const auId = (course: Course): string => `${course.id.replace(/\/+$/, '')}/au`;

export const moveOn = (course: Course): 'CompletedAndPassed' | 'Completed' =>
  course.scoring ? 'CompletedAndPassed' : 'Completed';

export const cmi5 = lmsTarget('cmi5', LRS_CONNECT_SRC, async ({ course }) => {
  const lang = course.language;
  const langstrings = (parent: ReturnType<typeof create>, name: string, value: string): void => {
    parent.ele(name).ele('langstring', { lang }).txt(value);
  };
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(CMI5_NS, 'courseStructure');
  const c = root.ele('course', { id: course.id });
  langstrings(c, 'title', course.title);
  langstrings(c, 'description', course.description || course.title);
  const attrs: Record<string, string> = { id: auId(course), moveOn: moveOn(course) };
  if (course.scoring) attrs.masteryScore = String(Math.round(course.scoring.mastery * 10000) / 10000);
  attrs.launchMethod = 'AnyWindow';
  const au = root.ele('au', attrs);
  langstrings(au, 'title', course.title);
  langstrings(au, 'description', course.description || course.title);
  au.ele('url').txt('index.html');
  return new Map([['cmi5.xml', root.end({ prettyPrint: true })]]);
});
