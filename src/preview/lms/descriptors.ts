/**
 * What an LMS reads from a package before launching it: the activities of tincan.xml that have a
 * `<launch>`, and the course and AUs of cmi5.xml (with the cmi5 §13.1.4 defaults).
 */
import type { MoveOn } from './vocabulary.ts';

const decodeXml = (s: string): string =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16))).replace(/&amp;/g, '&');

const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tag);
  return m ? decodeXml(m[2] ?? m[3]) : undefined;
};

export interface TinCanDescriptor {
  activityId: string;
  type: string | undefined;
  launch: string;
}

/** The activities of tincan.xml that have a `<launch>`, in document order. */
export function readTinCanXml(xml: string): TinCanDescriptor[] {
  const out: TinCanDescriptor[] = [];
  for (const m of xml.matchAll(/<activity\b([^>]*)>([\s\S]*?)<\/activity>/g)) {
    const launch = /<launch\b[^>]*>([\s\S]*?)<\/launch>/.exec(m[2])?.[1];
    const id = attr(m[0], 'id');
    if (id && launch) out.push({ activityId: id, type: attr(m[0], 'type'), launch: decodeXml(launch.trim()) });
  }
  return out;
}

export interface Cmi5Au {
  id: string;
  url: string;
  moveOn: MoveOn;
  masteryScore: number | null;
  launchMethod: string;
  launchParameters: string | null;
  entitlementKey: string | null;
}

export interface Cmi5Descriptor {
  courseId: string;
  aus: Cmi5Au[];
}

/** The course id and AUs of cmi5.xml (attributes with the §13.1.4 defaults). */
export function readCmi5Xml(xml: string): Cmi5Descriptor {
  const course = /<course\b[^>]*>/.exec(xml)?.[0];
  const courseId = course ? attr(course, 'id') : undefined;
  if (!courseId) throw new Error('cmi5.xml: no <course id>');
  const aus: Cmi5Au[] = [];
  for (const m of xml.matchAll(/<au\b([^>]*)>([\s\S]*?)<\/au>/g)) {
    const tag = `<au${m[1]}>`;
    const inner = m[2];
    const text = (name: string) => {
      const t = new RegExp(`<${name}\\b[^>]*>([\\s\\S]*?)</${name}>`).exec(inner)?.[1];
      return t === undefined ? null : decodeXml(t.trim());
    };
    const mastery = attr(tag, 'masteryScore');
    aus.push({
      id: attr(tag, 'id') ?? '',
      url: text('url') ?? '',
      moveOn: (attr(tag, 'moveOn') as MoveOn | undefined) ?? 'NotApplicable',
      masteryScore: mastery === undefined ? null : Number(mastery),
      launchMethod: attr(tag, 'launchMethod') ?? 'AnyWindow',
      launchParameters: text('launchParameters'),
      entitlementKey: text('entitlementKey'),
    });
  }
  if (!aus.length) throw new Error('cmi5.xml: no <au>');
  return { courseId, aus };
}
