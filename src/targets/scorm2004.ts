/**
 * SCORM 2004 4th edition: imsmanifest.xml with one SCO whose primary objective is satisfied by
 * measure, so the LMS exposes the mastery score as cmi.scaled_passing_score.
 */
import { create } from 'xmlbuilder2';
import type { Target } from './types.ts';
import { schemaFiles } from './schemas.ts';
import { xmlId } from './identifiers.ts';

const NS = {
  cp: 'http://www.imsglobal.org/xsd/imscp_v1p1',
  adlcp: 'http://www.adlnet.org/xsd/adlcp_v1p3',
  adlseq: 'http://www.adlnet.org/xsd/adlseq_v1p3',
  adlnav: 'http://www.adlnet.org/xsd/adlnav_v1p3',
  imsss: 'http://www.imsglobal.org/xsd/imsss',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
};

export const scorm2004: Target = {
  name: 'scorm2004',
  runtime: 'scorm2004',
  connectSrc: "'self'",
  output: 'zip',
  async extraFiles({ course }, contentFiles) {
    const org = xmlId('ORG', course.slug);
    const resource = xmlId('RES', course.slug);
    const doc = create({ version: '1.0', encoding: 'UTF-8' })
      .ele(NS.cp, 'manifest', {
        identifier: xmlId('MANIFEST', course.slug),
        version: course.version,
        'xmlns:adlcp': NS.adlcp,
        'xmlns:adlseq': NS.adlseq,
        'xmlns:adlnav': NS.adlnav,
        'xmlns:imsss': NS.imsss,
        'xmlns:xsi': NS.xsi,
        'xsi:schemaLocation': [
          `${NS.cp} imscp_v1p1.xsd`, `${NS.adlcp} adlcp_v1p3.xsd`, `${NS.adlseq} adlseq_v1p3.xsd`,
          `${NS.adlnav} adlnav_v1p3.xsd`, `${NS.imsss} imsss_v1p0.xsd`,
        ].join(' '),
      });
    const metadata = doc.ele('metadata');
    metadata.ele('schema').txt('ADL SCORM');
    metadata.ele('schemaversion').txt('2004 4th Edition');
    const organization = doc.ele('organizations', { default: org }).ele('organization', { identifier: org });
    organization.ele('title').txt(course.title);
    const item = organization.ele('item', { identifier: xmlId('ITEM', course.slug), identifierref: resource });
    item.ele('title').txt(course.title);
    const sequencing = item.ele(NS.imsss, 'imsss:sequencing');
    if (course.scoring) {
      sequencing.ele('imsss:objectives')
        .ele('imsss:primaryObjective', { objectiveID: 'course-mastery', satisfiedByMeasure: 'true' })
        .ele('imsss:minNormalizedMeasure').txt(String(course.scoring.mastery));
    }
    // The SCO reports completion and success itself; the LMS must not guess them.
    sequencing.ele('imsss:deliveryControls', { completionSetByContent: 'true', objectiveSetByContent: 'true' });
    const res = doc.ele('resources').ele('resource', {
      identifier: resource, type: 'webcontent', 'adlcp:scormType': 'sco', href: 'index.html',
    });
    for (const file of contentFiles) res.ele('file', { href: file });
    const files = new Map(await schemaFiles('scorm20044thedition'));
    files.set('imsmanifest.xml', doc.end({ prettyPrint: true }));
    return files;
  },
};
