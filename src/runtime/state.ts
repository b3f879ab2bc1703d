/**
 * The learner state and its codec.
 *
 * Wire format: `cp1:` + lz-string `compressToBase64` of a compact JSON object. The prefix carries
 * the version, so a later runtime can migrate old states, and anything else — empty, foreign,
 * corrupt — decodes to a fresh state instead of throwing.
 */
import LZString from './vendor/lz-string.js';

export interface QuizState {
  /** Attempts submitted so far. */
  attempts: number;
  best: number | null;
  last: number | null;
  /** Best attempt reached the page's pass mark. */
  passed: boolean;
  /** Question ids of the current attempt, drawn and shuffled, in display order. */
  order: string[];
  /** The current attempt has been submitted (answers locked until "Try again"). */
  submitted: boolean;
}

export interface LearnerState {
  bookmark: string;
  visited: string[];
  /** Selected choice ids, or the typed text of a fill-in question, per interaction id. */
  answers: Record<string, string[]>;
  /** Knowledge checks checked and polls submitted: their verdict is shown again on return. */
  checked: string[];
  quizzes: Record<string, QuizState>;
  /** Free-text responses. */
  texts: Record<string, string>;
  /** Responses whose text did not fit in the LMS: it is kept on a device (this one or another). */
  textsOnDevice: string[];
  /** Response texts the LMS holds in its interaction records (SCORM 2004): see session/records.ts. */
  recorded: Record<string, string>;
  /** Last change, ms since the epoch; 0 for a fresh state. */
  updated: number;
}

const PREFIX = 'cp1:';

export const freshState = (): LearnerState => ({
  bookmark: '',
  visited: [],
  answers: {},
  checked: [],
  quizzes: {},
  texts: {},
  textsOnDevice: [],
  recorded: {},
  updated: 0,
});

// Compact wire shape: one-letter keys, quizzes as tuples.
type WireQuiz = [number, number | null, number | null, 0 | 1, string[], 0 | 1];
interface Wire {
  b: string;
  p: string[];
  a: Record<string, string[]>;
  k: string[];
  q: Record<string, WireQuiz>;
  t: Record<string, string>;
  o: string[];
  r: Record<string, string>;
  u: number;
}

function toWire(s: LearnerState, texts: Record<string, string>, textsOnDevice: string[]): Wire {
  const q: Record<string, WireQuiz> = {};
  for (const [id, z] of Object.entries(s.quizzes)) {
    q[id] = [z.attempts, z.best, z.last, z.passed ? 1 : 0, z.order, z.submitted ? 1 : 0];
  }
  return { b: s.bookmark, p: s.visited, a: s.answers, k: s.checked, q, t: texts, o: textsOnDevice, r: s.recorded, u: s.updated };
}

const pack = (w: Wire): string => PREFIX + LZString.compressToBase64(JSON.stringify(w));

/** Encodes everything, with no limit (the device copy, the local adapter). */
export const encodeState = (s: LearnerState): string => pack(toWire(s, s.texts, s.textsOnDevice));

// Decoding trusts nothing: every field is checked and anything malformed is dropped.
const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
const str = (x: unknown): string => (typeof x === 'string' ? x : '');
const num = (x: unknown): number | null => (typeof x === 'number' && isFinite(x) ? x : null);
const strs = (x: unknown): string[] => (Array.isArray(x) ? x.filter((v): v is string => typeof v === 'string') : []);
function map<T>(x: unknown, f: (v: unknown) => T | null): Record<string, T> {
  const out: Record<string, T> = {};
  if (isObj(x)) for (const [k, v] of Object.entries(x)) {
    const r = f(v);
    if (r !== null && k !== '__proto__') out[k] = r;
  }
  return out;
}

export function decodeState(encoded: string | null | undefined): LearnerState {
  const s = freshState();
  if (!encoded || !encoded.startsWith(PREFIX)) return s;
  let w: unknown;
  try {
    w = JSON.parse(LZString.decompressFromBase64(encoded.slice(PREFIX.length)) || 'null');
  } catch {
    return s;
  }
  if (!isObj(w)) return s;
  s.bookmark = str(w.b);
  s.visited = strs(w.p);
  s.answers = map(w.a, (v) => (Array.isArray(v) ? strs(v) : null));
  s.checked = strs(w.k);
  s.quizzes = map(w.q, (v) =>
    Array.isArray(v)
      ? {
          attempts: num(v[0]) ?? 0,
          best: num(v[1]),
          last: num(v[2]),
          passed: v[3] === 1,
          order: strs(v[4]),
          submitted: v[5] === 1,
        }
      : null,
  );
  s.texts = map(w.t, (v) => (typeof v === 'string' ? v : null));
  s.textsOnDevice = strs(w.o).filter((id) => !(id in s.texts));
  s.recorded = map(w.r, (v) => (typeof v === 'string' ? v : null));
  s.updated = num(w.u) ?? 0;
  return s;
}

export interface FittedState {
  /** The encoded state within the limit, or null when even the core does not fit. */
  value: string | null;
  /** Ids of texts left out of `value` (kept on this device, listed in the state's textsOnDevice). */
  overflow: string[];
}

/**
 * Encodes the state within `limit` characters. The core (bookmark, visited pages, answers, quiz
 * attempts) always goes in; free texts go in while they fit, shortest first so that as many
 * answers as possible travel with the learner. A text is never cut: it is in, whole, or listed
 * as overflow for the caller to keep on the device and tell the learner about.
 */
export function encodeForLimit(s: LearnerState, limit: number): FittedState {
  const all = encodeState(s);
  if (all.length <= limit) return { value: all, overflow: [] };
  const ids = Object.keys(s.texts).filter((id) => s.texts[id]).sort((x, y) => s.texts[x].length - s.texts[y].length);
  const texts: Record<string, string> = {};
  const encode = (): string => pack(toWire(s, texts, s.textsOnDevice.concat(ids.filter((id) => !(id in texts)))));
  let value = encode();
  if (value.length > limit) return { value: null, overflow: ids };
  for (const id of ids) {
    texts[id] = s.texts[id];
    const next = encode();
    if (next.length > limit) {
      delete texts[id];
      break; // the rest are longer still: stop compressing in vain
    }
    value = next;
  }
  return { value, overflow: ids.filter((id) => !(id in texts)) };
}
