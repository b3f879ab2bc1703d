/**
 * SCORM 2004 4th edition: imsmanifest.xml with one SCO whose primary objective is satisfied by
 * measure, so the LMS exposes the mastery score as cmi.scaled_passing_score.
 */
import { x } from 'xastscript';
import { lmsTarget } from './types.ts';
import { schemaFiles } from './schemas.ts';
import { scormManifest } from './manifest.ts';

const NS = {
  cp: 'http://www.imsglobal.org/xsd/imscp_v1p1',
  adlcp: 'http://www.adlnet.org/xsd/adlcp_v1p3',
  adlseq: 'http://www.adlnet.org/xsd/adlseq_v1p3',
  adlnav: 'http://www.adlnet.org/xsd/adlnav_v1p3',
  imsss: 'http://www.imsglobal.org/xsd/imsss',
};

export const scorm2004 = lmsTarget('scorm2004', "'self'", async ({ course }, contentFiles) => {
  const objectives = course.scoring && x('imsss:objectives', [
    x('imsss:primaryObjective', { objectiveID: 'course-mastery', satisfiedByMeasure: 'true' }, [
      x('imsss:minNormalizedMeasure', String(course.scoring.mastery)),
    ]),
  ]);
  const manifest = scormManifest(course, contentFiles, {
    namespace: NS.cp,
    prefixes: { adlcp: NS.adlcp, adlseq: NS.adlseq, adlnav: NS.adlnav, imsss: NS.imsss },
    schemaLocation: [
      `${NS.cp} imscp_v1p1.xsd`, `${NS.adlcp} adlcp_v1p3.xsd`, `${NS.adlseq} adlseq_v1p3.xsd`,
      `${NS.adlnav} adlnav_v1p3.xsd`, `${NS.imsss} imsss_v1p0.xsd`,
    ],
    schemaVersion: '2004 4th Edition',
    scormTypeAttribute: 'adlcp:scormType',
    itemChildren: [
      x('imsss:sequencing', [
        objectives,
        // The SCO reports completion and success itself; the LMS must not guess them.
        x('imsss:deliveryControls', { completionSetByContent: 'true', objectiveSetByContent: 'true' }),
      ]),
    ],
  });
  const files = new Map(await schemaFiles('scorm20044thedition'));
  files.set('imsmanifest.xml', manifest);
  return files;
});
