/**
 * The shape every SCORM manifest shares: one organisation, one item, one SCO resource listing
 * every file. The two editions differ in namespaces, metadata and what hangs on the item.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { Course } from '../model.ts';
import { xmlId } from './identifiers.ts';

export interface ManifestShape {
  /** The content-packaging namespace (the root element's). */
  namespace: string;
  /** Other namespaces by prefix, declared on the root. */
  prefixes: Record<string, string>;
  /** `xsi:schemaLocation` pairs. */
  schemaLocation: string[];
  schemaVersion: string;
  /** `adlcp:scormtype` (1.2) or `adlcp:scormType` (2004). */
  scormTypeAttribute: string;
  /** Adds edition-specific metadata after schema/schemaversion. */
  metadata?: (metadata: XMLBuilder) => void;
  /** Adds edition-specific children to the item after its title. */
  item?: (item: XMLBuilder) => void;
}

export function scormManifest(course: Course, files: string[], shape: ManifestShape): string {
  const org = xmlId('ORG', course.slug);
  const resource = xmlId('RES', course.slug);
  const attributes: Record<string, string> = {
    identifier: xmlId('MANIFEST', course.slug),
    version: course.version,
    'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
    'xsi:schemaLocation': shape.schemaLocation.join(' '),
  };
  for (const [prefix, uri] of Object.entries(shape.prefixes)) attributes[`xmlns:${prefix}`] = uri;
  const doc = create({ version: '1.0', encoding: 'UTF-8' }).ele(shape.namespace, 'manifest', attributes);
  const metadata = doc.ele('metadata');
  metadata.ele('schema').txt('ADL SCORM');
  metadata.ele('schemaversion').txt(shape.schemaVersion);
  shape.metadata?.(metadata);
  const organization = doc.ele('organizations', { default: org }).ele('organization', { identifier: org });
  organization.ele('title').txt(course.title);
  const item = organization.ele('item', { identifier: xmlId('ITEM', course.slug), identifierref: resource });
  item.ele('title').txt(course.title);
  shape.item?.(item);
  const res = doc.ele('resources').ele('resource', {
    identifier: resource, type: 'webcontent', [shape.scormTypeAttribute]: 'sco', href: 'index.html',
  });
  for (const file of files) res.ele('file', { href: file });
  return doc.end({ prettyPrint: true });
}
