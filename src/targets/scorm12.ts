/** SCORM 1.2: imsmanifest.xml (IMS CP 1.1.2 + ADL CP 1.2 + IMS MD 1.2.1) and its schemas. */
import { x } from 'xastscript';
import { lmsTarget } from './types.ts';
import { schemaFiles } from './schemas.ts';
import { scormManifest } from './manifest.ts';

const NS = {
  cp: 'http://www.imsproject.org/xsd/imscp_rootv1p1p2',
  adlcp: 'http://www.adlnet.org/xsd/adlcp_rootv1p2',
  imsmd: 'http://www.imsglobal.org/xsd/imsmd_rootv1p2p1',
};

export const scorm12 = lmsTarget('scorm12', "'self'", async ({ course }, contentFiles) => {
  const langstring = (name: string, text: string) => x(name, [x('imsmd:langstring', { 'xml:lang': course.language }, text)]);
  const general = x('imsmd:general', [
    x('imsmd:identifier', course.id),
    langstring('imsmd:title', course.title),
    x('imsmd:language', course.language),
    course.description ? langstring('imsmd:description', course.description) : null,
  ]);
  const manifest = scormManifest(course, contentFiles, {
    namespace: NS.cp,
    prefixes: { adlcp: NS.adlcp, imsmd: NS.imsmd },
    schemaLocation: [`${NS.cp} imscp_rootv1p1p2.xsd`, `${NS.imsmd} imsmd_rootv1p2p1.xsd`, `${NS.adlcp} adlcp_rootv1p2.xsd`],
    schemaVersion: '1.2',
    scormTypeAttribute: 'adlcp:scormtype',
    metadata: [x('imsmd:lom', [general])],
    itemAttributes: { isvisible: 'true' },
    itemChildren: course.scoring ? [x('adlcp:masteryscore', String(Math.round(course.scoring.mastery * 100)))] : [],
  });
  const files = new Map(await schemaFiles('scorm12edition'));
  files.set('imsmanifest.xml', manifest);
  return files;
});
