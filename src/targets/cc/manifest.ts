/**
 * `imsmanifest.xml` in the IMS Common Cartridge 1.1 profile of Content Packaging 1.2: the CC
 * namespace as the default (Moodle looks for it there), LOM title, description and language, and
 * an organisation two levels deep — module, then its pages and assessments in course order — which
 * Canvas turns into modules and Moodle into sections. Every file of the cartridge is the file of
 * exactly one resource; pages and assessments depend on the stylesheet and assets they use.
 */
import { create } from 'xmlbuilder2';
import type { Course } from '../../model.ts';
import { ids } from './layout.ts';
import type { CartridgePlan } from './plan.ts';

export const NS = {
  cp: 'http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1',
  lomManifest: 'http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest',
  lomResource: 'http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
};
const PROFILE = 'http://www.imsglobal.org/profile/cc/ccv1p1';

export const WEBCONTENT = 'webcontent';
export const ASSESSMENT = 'imsqti_xmlv1p2/imscc_xmlv1p1/assessment';

export interface ManifestInput {
  course: Course;
  plan: CartridgePlan;
  /** Cartridge paths of the files every page shares (the stylesheet) and of the assets. */
  shared: string[];
  /** Per page id and per assessment ident: cartridge paths of the shared files it uses. */
  uses: Map<string, string[]>;
}

export function cartridgeManifest({ course, plan, shared, uses }: ManifestInput): string {
  const manifest = create({ version: '1.0', encoding: 'UTF-8' }).ele(NS.cp, 'manifest', {
    identifier: ids.manifest(course.slug),
    'xmlns:lomimscc': NS.lomManifest,
    'xmlns:lom': NS.lomResource,
    'xmlns:xsi': NS.xsi,
    'xsi:schemaLocation': [
      `${NS.cp} ${PROFILE}/ccv1p1_imscp_v1p2_v1p0.xsd`,
      `${NS.lomManifest} ${PROFILE}/LOM/ccv1p1_lommanifest_v1p0.xsd`,
      `${NS.lomResource} ${PROFILE}/LOM/ccv1p1_lomresource_v1p0.xsd`,
    ].join(' '),
  });
  metadata(manifest, course);

  const root = manifest.ele('organizations')
    .ele('organization', { identifier: ids.manifest(`${course.slug}-organization`), structure: 'rooted-hierarchy' })
    .ele('item', { identifier: 'ROOT' });
  for (const module of plan.modules) {
    const moduleItem = root.ele('item', { identifier: ids.module(module.id ?? 'overview') });
    moduleItem.ele('title').txt(module.title);
    for (const { page, href, assessments } of module.pages) {
      if (href) moduleItem.ele('item', { identifier: ids.pageItem(page.id), identifierref: ids.pageResource(page.id) }).ele('title').txt(page.title);
      for (const a of assessments) {
        moduleItem.ele('item', { identifier: ids.assessmentItem(a.ident), identifierref: ids.assessmentResource(a.ident) }).ele('title').txt(a.title);
      }
    }
  }

  const resources = manifest.ele('resources');
  const resource = (identifier: string, type: string, file: string, dependencies: string[], href = true) => {
    const res = resources.ele('resource', href ? { identifier, type, href: file } : { identifier, type });
    res.ele('file', { href: file });
    for (const path of dependencies) res.ele('dependency', { identifierref: ids.fileResource(path) });
  };
  for (const { page, href, assessments } of plan.pages.values()) {
    if (href) resource(ids.pageResource(page.id), WEBCONTENT, href, uses.get(page.id) ?? []);
    // An assessment names its file, not an href: the file is QTI, not a page to launch.
    for (const a of assessments) resource(ids.assessmentResource(a.ident), ASSESSMENT, a.href, uses.get(a.ident) ?? [], false);
  }
  for (const path of shared) resource(ids.fileResource(path), WEBCONTENT, path, []);
  return manifest.end({ prettyPrint: true });
}

function metadata(manifest: ReturnType<ReturnType<typeof create>['ele']>, course: Course): void {
  const metadata = manifest.ele('metadata');
  metadata.ele('schema').txt('IMS Common Cartridge');
  metadata.ele('schemaversion').txt('1.1.0');
  const general = metadata.ele(NS.lomManifest, 'lomimscc:lom').ele('lomimscc:general');
  general.ele('lomimscc:title').ele('lomimscc:string', { language: course.language }).txt(course.title);
  general.ele('lomimscc:language').txt(course.language);
  if (course.description) {
    general.ele('lomimscc:description').ele('lomimscc:string', { language: course.language }).txt(course.description);
  }
}
