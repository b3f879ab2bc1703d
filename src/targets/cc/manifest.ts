/**
 * `imsmanifest.xml` in the IMS Common Cartridge 1.1 profile of Content Packaging 1.2: the CC
 * namespace as the default (Moodle looks for it there), LOM title, description and language, and
 * an organisation two levels deep — module, then its pages and assessments in course order — which
 * Canvas turns into modules and Moodle into sections. Every file of the cartridge is the file of
 * exactly one resource; pages and assessments depend on the stylesheet and assets they use.
 */
import type { Element } from 'xast';
import { x } from 'xastscript';
import type { Course } from '../../model.ts';
import { xmlDocument } from '../xml.ts';
import { ids } from './layout.ts';
import type { CartridgePlan, ModulePlan } from './plan.ts';

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
  const manifest = x('manifest', {
    xmlns: NS.cp,
    identifier: ids.manifest(course.slug),
    'xmlns:lomimscc': NS.lomManifest,
    'xmlns:lom': NS.lomResource,
    'xmlns:xsi': NS.xsi,
    'xsi:schemaLocation': [
      `${NS.cp} ${PROFILE}/ccv1p1_imscp_v1p2_v1p0.xsd`,
      `${NS.lomManifest} ${PROFILE}/LOM/ccv1p1_lommanifest_v1p0.xsd`,
      `${NS.lomResource} ${PROFILE}/LOM/ccv1p1_lomresource_v1p0.xsd`,
    ].join(' '),
  }, [
    metadata(course),
    x('organizations', [
      x('organization', { identifier: ids.manifest(`${course.slug}-organization`), structure: 'rooted-hierarchy' }, [
        x('item', { identifier: 'ROOT' }, plan.modules.map(moduleItem)),
      ]),
    ]),
    x('resources', resources(plan, shared, uses)),
  ]);
  return xmlDocument(manifest);
}

function metadata(course: Course): Element {
  const string = (text: string) => x('lomimscc:string', { language: course.language }, text);
  return x('metadata', [
    x('schema', 'IMS Common Cartridge'),
    x('schemaversion', '1.1.0'),
    x('lomimscc:lom', [
      x('lomimscc:general', [
        x('lomimscc:title', [string(course.title)]),
        x('lomimscc:language', course.language),
        course.description ? x('lomimscc:description', [string(course.description)]) : null,
      ]),
    ]),
  ]);
}

/** A module's item: its title, then its pages and assessments in course order. */
function moduleItem(module: ModulePlan): Element {
  const item = (identifier: string, identifierref: string, title: string) => x('item', { identifier, identifierref }, [x('title', title)]);
  return x('item', { identifier: ids.module(module.id ?? 'overview') }, [
    x('title', module.title),
    ...module.pages.flatMap(({ page, href, assessments }) => [
      href ? item(ids.pageItem(page.id), ids.pageResource(page.id), page.title) : null,
      ...assessments.map((a) => item(ids.assessmentItem(a.ident), ids.assessmentResource(a.ident), a.title)),
    ]),
  ]);
}

function resources(plan: CartridgePlan, shared: string[], uses: Map<string, string[]>): Element[] {
  const resource = (identifier: string, type: string, file: string, dependencies: string[], launched = true) =>
    x('resource', { identifier, type, href: launched ? file : undefined }, [
      x('file', { href: file }),
      ...dependencies.map((path) => x('dependency', { identifierref: ids.fileResource(path) })),
    ]);
  return [
    ...[...plan.pages.values()].flatMap(({ page, href, assessments }) => [
      href ? resource(ids.pageResource(page.id), WEBCONTENT, href, uses.get(page.id) ?? []) : null,
      // An assessment names its file, not an href: the file is QTI, not a page to launch.
      ...assessments.map((a) => resource(ids.assessmentResource(a.ident), ASSESSMENT, a.href, uses.get(a.ident) ?? [], false)),
    ]),
    ...shared.map((path) => resource(ids.fileResource(path), WEBCONTENT, path, [])),
  ].filter((element) => element !== null);
}
