/**
 * The SCORM adapter, written once. An edition (scorm12.ts, scorm2004.ts) is a table: the API's
 * name and methods, element names, value formats, and how it reports completion and success.
 * Each entry imports only its own edition, so a bundle carries one table.
 */
import type { AdapterLimits, InteractionRecord, LaunchMode, LmsAdapter } from './types.ts';
import type { RuntimeCourse } from '../../model.ts';
import { createLocalAdapter } from './local.ts';
import { findApi, reportText, scormSession, type ScormSession } from './scorm-session.ts';

export { decimal, findApi, reportText, scormSession } from './scorm-session.ts';

/** How an edition reports completion, success and score; `tracking` is false in browse/review. */
export interface StatusReporter {
  /** Reads what the LMS holds (before the interaction count). */
  read(): void;
  /** Marks the attempt begun (tracking only). */
  begin(): void;
  progress(measure: number, completed: boolean): void;
  score(raw: number, min: number, max: number, passed: boolean | null): void;
}

export interface ScormEdition {
  /** The window property that holds the LMS API. */
  api: string;
  /** The API's methods by role. */
  methods: { initialize: string; get: string; set: string; commit: string; finish: string; error: string };
  limits: AdapterLimits;
  elements: {
    mode: string;
    learnerId: string;
    learnerName: string;
    location: string;
    suspendData: string;
    sessionTime: string;
    exit: string;
    /** Read before the state: `ab-initio` means there is none to read (2004). */
    entry?: string;
  };
  interaction: {
    id(id: string): string;
    type(type: InteractionRecord['type']): string;
    /** Longest description, or 0 when the edition has no description element. */
    descriptionChars: number;
    response: string;
    result(result: InteractionRecord['result']): string;
    latency(ms: number): string;
    /** Element and format of the moment of the answer. */
    time: [element: string, format: (at: number) => string];
    /** A response or a correct-response pattern in the edition's format. */
    value(r: InteractionRecord, values: string[]): string;
    /**
     * Response texts written reversibly and read back (2004, response-text.ts): the parts of one
     * encoded text, and the text from its parts joined. Without it a text is cut to one record.
     */
    texts?: { parts(value: string): string[]; decode(raw: string): string };
  };
  duration(ms: number): string;
  /** The elements and values that end a session with this exit. */
  exit(exit: 'suspend' | 'normal'): [string, string][];
  status(session: ScormSession, course: RuntimeCourse, tracking: () => boolean): StatusReporter;
}

/** A text's first record carries the interaction id; its further parts `id.2`, `id.3`… */
const partId = (id: string, k: number): string => (k ? `${id}.${k + 1}` : id);

/** Finds and initialises the LMS; without one the course still plays, saving in this browser. */
export function createScormAdapter(edition: ScormEdition, win: Window = window): LmsAdapter {
  const api = findApi(edition.api, win);
  let started = false;
  try {
    started = !!api && String(api[edition.methods.initialize]('')) === 'true';
  } catch {
    /* treated as no LMS */
  }
  return started ? scormAdapter(edition, api) : createLocalAdapter();
}

/** The adapter over an API that is already initialised. */
export function scormAdapter(edition: ScormEdition, api: any): LmsAdapter {
  const { methods: m, elements: el, interaction: ix, limits } = edition;
  const s = scormSession({
    get: (e) => api[m.get](e),
    set: (e, v) => api[m.set](e, v),
    commit: () => api[m.commit](''),
    finish: () => api[m.finish](''),
    error: () => api[m.error](),
  });
  const began = Date.now();
  let count = 0;
  let tracking = true;
  let status: StatusReporter | null = null;
  /** The text recorded at `index` for `id` (and its further parts), decoded; null when the LMS has none. */
  function readText(index: number, id: string): string | null {
    let raw = '';
    let k = 0;
    // Stay within the records the LMS has: reading past them would log an error.
    while (index + k < count && s.get(`cmi.interactions.${index + k}.id`) === ix.id(partId(id, k))) {
      raw += s.get(`cmi.interactions.${index + k++}.${ix.response}`);
    }
    return k ? ix.texts!.decode(raw) : null;
  }
  return {
    limits,
    start(course) {
      status = edition.status(s, course, () => tracking);
      const mode = s.get(el.mode);
      // An empty or unknown mode is normal: otherwise nothing would ever be tracked.
      tracking = mode !== 'browse' && mode !== 'review';
      status.read();
      count = parseInt(s.get('cmi.interactions._count'), 10) || 0;
      if (tracking) {
        status.begin();
        // Suspend from the start: a session that ends without pagehide still resumes.
        s.set(el.exit, 'suspend');
      }
      // A new attempt has no location or suspend data; reading them would log LMS error 403.
      const fresh = !!el.entry && s.get(el.entry) === 'ab-initio';
      return {
        learnerId: s.get(el.learnerId),
        learnerName: s.get(el.learnerName),
        state: fresh ? '' : s.get(el.suspendData),
        bookmark: fresh ? '' : s.get(el.location),
        mode: tracking ? 'normal' : (mode as LaunchMode),
        storage: 'lms',
      };
    },
    saveState(location, encoded) {
      if (!tracking) return;
      if (location.length <= limits.locationChars) s.set(el.location, location);
      if (encoded.length <= limits.stateChars) s.set(el.suspendData, encoded);
    },
    // Where the LMS may keep more than the standard says (1.2): written once, then read back.
    saveLarge: limits.largeChars
      ? (location, encoded) => {
          if (!tracking || encoded.length > limits.largeChars!) return false;
          if (location.length <= limits.locationChars) s.set(el.location, location);
          return !!s.set(el.suspendData, encoded, true) && s.get(el.suspendData) === encoded;
        }
      : undefined,
    recordInteraction(r) {
      if (!tracking) return;
      const text = ix.texts && r.type === 'long-fill-in';
      const first = count;
      const parts = text ? ix.texts!.parts(ix.value(r, r.response)) : [ix.value(r, r.response)];
      parts.forEach((response, k) => {
        const p = `cmi.interactions.${count++}.`;
        s.set(p + 'id', ix.id(partId(r.id, k)));
        s.set(p + 'type', ix.type(r.type));
        if (ix.descriptionChars && r.description) s.set(p + 'description', reportText(r.description, ix.descriptionChars));
        r.correct.forEach((c, i) => s.set(`${p}correct_responses.${i}.pattern`, ix.value(r, c)));
        s.set(p + 'weighting', String(r.weighting));
        s.set(p + ix.response, response);
        s.set(p + 'result', ix.result(r.result));
        s.set(p + 'latency', ix.latency(r.latencyMs));
        s.set(p + ix.time[0], ix.time[1](r.at));
      });
      // Read back at once: only a text the LMS returns unchanged may later be left out of the state.
      if (text && readText(first, r.id) === r.response[0]) return first;
    },
    readText: ix.texts && readText,
    setProgress: (measure, completed) => status?.progress(measure, completed),
    setScore: (raw, min, max, passed) => status?.score(raw, min, max, passed),
    commit: s.commit,
    finish(exit) {
      s.set(el.sessionTime, edition.duration(Date.now() - began));
      if (tracking) for (const [element, value] of edition.exit(exit)) s.set(element, value);
      s.finish();
    },
    onStatus: s.onStatus,
  };
}
