/**
 * The shape every SCORM manifest shares: one organisation, one item, one SCO resource listing
 * every file. The two editions differ in namespaces, metadata and what hangs on the item.
 */
import type { Element } from 'xast';
import { x } from 'xastscript';
import type { Course } from '../model.ts';
import { xmlId } from './identifiers.ts';
import { xmlDocument } from './xml.ts';

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
  /** Edition-specific metadata, after schema/schemaversion. */
  metadata?: Element[];
  /** Edition-specific attributes of the item, after identifier and identifierref. */
  itemAttributes?: Record<string, string>;
  /** Edition-specific children of the item, after its title. */
  itemChildren?: Element[];
}

export function scormManifest(course: Course, files: string[], shape: ManifestShape): string {
  const { metadata = [], itemAttributes = {}, itemChildren = [] } = shape;
  const org = xmlId('ORG', course.slug);
  const resource = xmlId('RES', course.slug);
  const prefixes = Object.entries(shape.prefixes).map(([prefix, uri]) => [`xmlns:${prefix}`, uri]);
  const manifest = x('manifest', {
    xmlns: shape.namespace,
    identifier: xmlId('MANIFEST', course.slug),
    version: course.version,
    'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
    'xsi:schemaLocation': shape.schemaLocation.join(' '),
    ...Object.fromEntries(prefixes),
  }, [
    x('metadata', [x('schema', 'ADL SCORM'), x('schemaversion', shape.schemaVersion), ...metadata]),
    x('organizations', { default: org }, [
      x('organization', { identifier: org }, [
        x('title', course.title),
        x('item', { identifier: xmlId('ITEM', course.slug), identifierref: resource, ...itemAttributes }, [
          x('title', course.title),
          ...itemChildren,
        ]),
      ]),
    ]),
    x('resources', [
      x('resource', { identifier: resource, type: 'webcontent', [shape.scormTypeAttribute]: 'sco', href: 'index.html' },
        files.map((href) => x('file', { href }))),
    ]),
  ]);
  return xmlDocument(manifest);
}
