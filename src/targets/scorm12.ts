/** SCORM 1.2: imsmanifest.xml (IMS CP 1.1.2 + ADL CP 1.2 + IMS MD 1.2.1) and its schemas. */
import { create } from 'xmlbuilder2';
import type { Target } from './types.ts';
import { schemaFiles } from './schemas.ts';
import { xmlId } from './identifiers.ts';

const NS = {
  cp: 'http://www.imsproject.org/xsd/imscp_rootv1p1p2',
  adlcp: 'http://www.adlnet.org/xsd/adlcp_rootv1p2',
  md: 'http://www.imsglobal.org/xsd/imsmd_rootv1p2p1',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
};

export const scorm12: Target = {
  name: 'scorm12',
  runtime: 'scorm12',
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
        'xmlns:imsmd': NS.md,
        'xmlns:xsi': NS.xsi,
        'xsi:schemaLocation': `${NS.cp} imscp_rootv1p1p2.xsd ${NS.md} imsmd_rootv1p2p1.xsd ${NS.adlcp} adlcp_rootv1p2.xsd`,
      });
    const metadata = doc.ele('metadata');
    metadata.ele('schema').txt('ADL SCORM');
    metadata.ele('schemaversion').txt('1.2');
    const general = metadata.ele(NS.md, 'imsmd:lom').ele('imsmd:general');
    general.ele('imsmd:identifier').txt(course.id);
    general.ele('imsmd:title').ele('imsmd:langstring', { 'xml:lang': course.language }).txt(course.title);
    general.ele('imsmd:language').txt(course.language);
    if (course.description) {
      general.ele('imsmd:description').ele('imsmd:langstring', { 'xml:lang': course.language }).txt(course.description);
    }
    const organization = doc.ele('organizations', { default: org }).ele('organization', { identifier: org });
    organization.ele('title').txt(course.title);
    const item = organization.ele('item', { identifier: xmlId('ITEM', course.slug), identifierref: resource, isvisible: 'true' });
    item.ele('title').txt(course.title);
    if (course.scoring) item.ele(NS.adlcp, 'adlcp:masteryscore').txt(String(Math.round(course.scoring.mastery * 100)));
    const res = doc.ele('resources').ele('resource', {
      identifier: resource, type: 'webcontent', 'adlcp:scormtype': 'sco', href: 'index.html',
    });
    for (const file of contentFiles) res.ele('file', { href: file });
    const files = new Map(await schemaFiles('scorm12edition'));
    files.set('imsmanifest.xml', doc.end({ prettyPrint: true }));
    return files;
  },
};
