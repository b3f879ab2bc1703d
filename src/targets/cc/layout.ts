/**
 * Where each file lives in the cartridge, and the XML identifiers that name it. Web content sits
 * under `web_resources/` (the folder Canvas imports into the course files, and which it strips
 * from the path); each assessment has a folder of its own, named by its identifier.
 */
import { xmlId } from '../identifiers.ts';

export const MANIFEST = 'imsmanifest.xml';
export const WEB = 'web_resources';
export const CSS_PATH = `${WEB}/theme.css`;

export const pagePath = (pageId: string): string => `${WEB}/pages/${pageId}.html`;

/** `assets/01-basics/images/funnel.svg` (the site's path) → its path in the cartridge. */
export const assetPath = (sitePath: string): string => `${WEB}/${sitePath}`;

export const assessmentPath = (ident: string): string => `${ident}/assessment.xml`;

/** From a page (`web_resources/pages/`) to a file under `web_resources/`. */
export const fromPage = (path: string): string => `../${path.slice(WEB.length + 1)}`;

/**
 * From a QTI file to any file of the cartridge: `$IMS-CC-FILEBASE$` stands for the folder of the
 * assessment file, which both importers resolve (Moodle replaces it, Canvas strips it and looks the
 * path up among the cartridge's files).
 */
export const fromAssessment = (path: string): string => `$IMS-CC-FILEBASE$/../${path}`;

export const ids = {
  manifest: (slug: string) => xmlId('MANIFEST', slug),
  module: (moduleId: string) => xmlId('MODULE', moduleId),
  pageItem: (pageId: string) => xmlId('ITEM-PAGE', pageId),
  pageResource: (pageId: string) => xmlId('RES-PAGE', pageId),
  assessment: (pageId: string, kind: string) => xmlId('QTI', `${pageId}-${kind}`),
  assessmentItem: (ident: string) => `ITEM-${ident}`,
  assessmentResource: (ident: string) => `RES-${ident}`,
  fileResource: (path: string) => xmlId('RES-FILE', path),
};
