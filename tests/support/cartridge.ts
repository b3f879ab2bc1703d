/**
 * Reads a built Common Cartridge back, as an importer would: the manifest's organisation and
 * resources, and every QTI item with its profile, points, text, choices, correct answers and
 * feedback. Written against the standards' element names only (no code shared with the target),
 * so a round trip through it checks what the target wrote.
 */
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { fromHtml } from 'hast-util-from-html';
import { toText } from 'hast-util-to-text';
import { readZip } from './unzip.ts';

export interface CartridgeItem {
  /** The organisation item's title. */
  title: string;
  /** The resource it points to. */
  type: string;
  /** The resource's file (the page or the QTI file). */
  file: string;
}

export interface CartridgeModule {
  title: string;
  items: CartridgeItem[];
}

export interface QtiItem {
  ident: string;
  profile: string;
  points: number;
  /** Plain text of the question, whitespace collapsed. */
  text: string;
  choices: { ident: string; text: string }[];
  /** Choice idents (or accepted answers for fill-in) that score 100. */
  correct: string[];
  /** Plain text of the general feedback, or null. */
  feedback: string | null;
}

export interface QtiAssessment {
  file: string;
  title: string;
  metadata: Record<string, string>;
  items: QtiItem[];
}

export interface Cartridge {
  files: Map<string, Buffer>;
  manifest: string;
  modules: CartridgeModule[];
  /** Every `<file href>` of the manifest. */
  listed: string[];
  assessments: Map<string, QtiAssessment>;
}

const children = (parent: Element, name: string): Element[] =>
  Array.from(parent.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).localName === name);
const child = (parent: Element, name: string): Element | undefined => children(parent, name)[0];
const descendants = (parent: Element | Document, name: string): Element[] =>
  Array.from(parent.getElementsByTagNameNS('*', name));
const text = (element: Element | undefined): string => element?.textContent ?? '';

/** Plain text of an HTML fragment, whitespace collapsed. */
export const htmlText = (html: string): string => toText(fromHtml(html, { fragment: true })).replace(/\s+/g, ' ').trim();

function parseXml(xml: string): Document {
  return new DOMParser().parseFromString(xml, 'text/xml');
}

export function readCartridge(zip: Buffer): Cartridge {
  const files = new Map(readZip(zip).map((e) => [e.name, e.data]));
  const manifestText = String(files.get('imsmanifest.xml'));
  const manifest = parseXml(manifestText);
  const resources = new Map(descendants(manifest, 'resource').map((r) => [r.getAttribute('identifier')!, r]));
  const root = child(descendants(manifest, 'organization')[0], 'item')!;
  const modules = children(root, 'item').map((module) => ({
    title: text(child(module, 'title')),
    items: children(module, 'item').map((item) => {
      const resource = resources.get(item.getAttribute('identifierref')!)!;
      return { title: text(child(item, 'title')), type: resource.getAttribute('type')!, file: child(resource, 'file')!.getAttribute('href')! };
    }),
  }));
  const listed = descendants(manifest, 'file').map((f) => f.getAttribute('href')!);
  const assessments = new Map<string, QtiAssessment>();
  for (const resource of resources.values()) {
    if (!resource.getAttribute('type')!.startsWith('imsqti_')) continue;
    const file = child(resource, 'file')!.getAttribute('href')!;
    assessments.set(file, readAssessment(file, String(files.get(file))));
  }
  return { files, manifest: manifestText, modules, listed, assessments };
}

function metadataFields(parent: Element | undefined): Record<string, string> {
  if (!parent) return {};
  return Object.fromEntries(children(parent, 'qtimetadatafield').map((f) => [text(child(f, 'fieldlabel')), text(child(f, 'fieldentry'))]));
}

function readAssessment(file: string, xml: string): QtiAssessment {
  const assessment = descendants(parseXml(xml), 'assessment')[0];
  return {
    file,
    title: assessment.getAttribute('title') ?? '',
    metadata: metadataFields(child(assessment, 'qtimetadata')),
    items: descendants(assessment, 'item').map(readItem),
  };
}

function readItem(item: Element): QtiItem {
  const metadata = metadataFields(child(child(item, 'itemmetadata')!, 'qtimetadata'));
  const presentation = child(item, 'presentation')!;
  const mattext = (parent: Element | undefined) => text(descendants(parent!, 'mattext')[0]);
  const scoring = descendants(item, 'respcondition').find((c) => descendants(c, 'setvar').some((s) => text(s).trim() === '100'));
  const correct = scoring
    ? descendants(scoring, 'varequal').filter((v) => (v.parentNode as Element).localName !== 'not').map((v) => text(v))
    : [];
  const general = descendants(item, 'displayfeedback')[0]?.getAttribute('linkrefid');
  const feedback = children(item, 'itemfeedback').find((f) => f.getAttribute('ident') === general);
  return {
    ident: item.getAttribute('ident')!,
    profile: metadata.cc_profile,
    points: Number(metadata.cc_weighting),
    text: htmlText(mattext(child(presentation, 'material'))),
    choices: descendants(presentation, 'response_label')
      .filter((l) => (l.parentNode as Element).localName === 'render_choice')
      .map((l) => ({ ident: l.getAttribute('ident')!, text: htmlText(mattext(l)) })),
    correct,
    feedback: feedback ? htmlText(mattext(feedback)) : null,
  };
}
