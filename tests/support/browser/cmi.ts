/**
 * Reading the LMS's stored data model back: the interactions as records, and the response /
 * pattern formats of each standard decoded into plain values (choice ids, true/false, text), so a
 * test can compare them with the answers it gave without knowing the runtime's encoder.
 */
import type { Standard } from './lms.ts';

export interface StoredInteraction {
  n: number;
  id: string;
  type: string;
  /** 1.2 student_response / 2004 learner_response. */
  response: string;
  result: string;
  weighting: string;
  latency: string;
  /** 1.2 `time` / 2004 `timestamp`. */
  time: string;
  /** 2004 only. */
  description: string;
  patterns: string[];
}

/** The interactions in a flattened CMI map, by index. */
export function interactionsIn(standard: Standard, data: Record<string, string>): StoredInteraction[] {
  const byIndex = new Map<number, Record<string, string>>();
  for (const [key, value] of Object.entries(data)) {
    const m = key.match(/^cmi\.interactions\.(\d+)\.(.+)$/);
    if (!m) continue;
    const n = Number(m[1]);
    if (!byIndex.has(n)) byIndex.set(n, {});
    byIndex.get(n)![m[2]] = value;
  }
  return [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([n, f]) => {
      const patterns: string[] = [];
      for (let i = 0; f[`correct_responses.${i}.pattern`] !== undefined; i++) patterns.push(f[`correct_responses.${i}.pattern`]);
      return {
        n,
        id: f.id ?? '',
        type: f.type ?? '',
        response: (standard === 'scorm12' ? f.student_response : f.learner_response) ?? '',
        result: f.result ?? '',
        weighting: f.weighting ?? '',
        latency: f.latency ?? '',
        time: (standard === 'scorm12' ? f.time : f.timestamp) ?? '',
        description: f.description ?? '',
        patterns,
      };
    });
}

/** 2004 characterstring delimiters at the start of a value: `{lang=en}`, `{case_matters=true}`… */
export const stripDelimiters = (s: string): string => s.replace(/^(\{(lang|case_matters|order_matters)=[^}]*\})+/, '');

/**
 * A response or pattern as plain values: choice ids (sorted), `true`/`false`, or one text.
 * `kind` is the interaction's kind in the model: 'choice' (single, multiple, likert, polls),
 * 'true-false', or 'text' (fill-in, responses).
 */
export function decodeValue(standard: Standard, kind: 'choice' | 'true-false' | 'text', raw: string): string[] {
  if (kind === 'text') return [standard === 'scorm2004' ? stripDelimiters(raw) : raw];
  if (kind === 'true-false') {
    const v = raw.trim().toLowerCase();
    // 1.2 CMIFeedback for true-false: 0, 1, t, f; 2004: true, false.
    const truth = standard === 'scorm12' ? ({ t: 'true', '1': 'true', f: 'false', '0': 'false' } as Record<string, string>)[v] : v;
    return [truth ?? `?${raw}`];
  }
  if (raw === '') return [];
  return raw.split(standard === 'scorm12' ? ',' : '[,]').map((s) => s.trim()).sort();
}

/** SCORM 1.2 CMITimespan `HHHH:MM:SS.SS` (hours 2–4 digits, optional 1–2 decimals). */
export const SCORM12_TIMESPAN = /^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?$/;
/** ISO 8601 duration as SCORM 2004 timeinterval (second(10,2)). */
export const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?!$)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$/;
/** ISO 8601 time(second,10,0) as SCORM 2004 timestamps. */
export const ISO_TIMESTAMP = /^\d{4}(-\d{2}(-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d{1,2})?)?)?(Z|[+-]\d{2}(:\d{2})?)?)?)?)?$/;

/**
 * A SCORM 2004 response text as the runtime writes it (docs/runtime.md): `¶` is a line break and
 * `\` escapes the next character (`\r`, `\L`, `\P` for CR, U+2028, U+2029); decoded to the text.
 */
export const decodeResponseText = (raw: string): string =>
  raw.replace(/\\([^])|¶/g, (_, c?: string) => (c === undefined ? '\n' : ({ r: '\r', L: '\u2028', P: '\u2029' } as Record<string, string>)[c] ?? c));
