/**
 * The one interface every standard implements. The player only ever talks to an LmsAdapter, so a
 * new standard (xAPI, cmi5) is a new adapter, never a change to the player.
 *
 * Every call after `start` is fire-and-forget from the player's view: it returns nothing and never
 * throws. Synchronous SCORM adapters do the work on the spot; asynchronous adapters (xAPI, cmi5)
 * queue it, persist the queue and retry, and report trouble through `onStatus`.
 */
import type { RuntimeCourse } from '../../model.ts';

export type LaunchMode = 'normal' | 'browse' | 'review';

export interface StartInfo {
  learnerId: string;
  learnerName: string;
  /** Encoded learner state as the LMS holds it ('' when none). Decoded by the player, not here. */
  state: string;
  /** Page id from the LMS bookmark element ('' when none). The state's own bookmark wins. */
  bookmark: string;
  /** Empty or unknown modes count as `normal` (some LMSs send nothing). */
  mode: LaunchMode;
  /** Where the state lives: the LMS, or only this browser (no LMS found, or the web target). */
  storage: 'lms' | 'browser';
}

/** One answer, in neutral form; each adapter formats it for its standard. */
export interface InteractionRecord {
  id: string;
  type: 'choice' | 'true-false' | 'fill-in' | 'long-fill-in' | 'likert';
  /** Plain-text prompt. */
  description: string;
  /** Choice ids (`a`..`z`), `true`/`false` for true-false, or one text for the fill-in kinds. */
  response: string[];
  /** Correct response patterns, each a list of values as in `response`; [] when none applies. */
  correct: string[][];
  result: 'correct' | 'incorrect' | 'neutral';
  /** 1 for scored quiz questions, 0 for checks, polls and free text. */
  weighting: number;
  latencyMs: number;
  /** When the learner answered (ms since the epoch). */
  at: number;
  pageId: string;
}

export interface AdapterStatus {
  /** false: the LMS refused or could not be reached; true: it works again. */
  ok: boolean;
  /** The standard's error code, for diagnostics. */
  code?: string;
}

export interface AdapterLimits {
  /** Longest encoded state the LMS accepts (SCORM 1.2: 4,096; 2004: 64,000). */
  stateChars: number;
  /** Longest bookmark (SCORM 1.2: 255; 2004: 1,000). */
  locationChars: number;
  /**
   * Longest state worth offering to `saveLarge` when the LMS may keep more than `stateChars`
   * (SCORM 1.2: 64,000, what Moodle keeps unless its `scormstandard` setting is on).
   */
  largeChars?: number;
}

export interface LmsAdapter {
  readonly limits: AdapterLimits;
  /** Opens the session. May be async (xAPI reads its state document); the player awaits it. */
  start(course: RuntimeCourse): StartInfo | Promise<StartInfo>;
  /** Stores the bookmark and the encoded state (already within `limits`). */
  saveState(location: string, encodedState: string): void;
  /**
   * Writes a state longer than `limits.stateChars`, reads it back and returns true only when the
   * LMS kept it unchanged; a refusal is never sent again (no retry), so the caller falls back.
   */
  saveLarge?(location: string, encodedState: string): boolean;
  /**
   * Returns, for a response text the LMS took unchanged and returns on request (SCORM 2004), the
   * index of its first interaction record, so the text can be read back instead of kept twice.
   */
  recordInteraction(record: InteractionRecord): number | void;
  /** The response text recorded at `index` for `id`, as the LMS returns it; null when it does not. */
  readText?(index: number, id: string): string | null;
  /** Share of the course done (0..1) and whether the course completion rule is met. */
  setProgress(measure: number, completed: boolean): void;
  /** The course score; `passed` is null when there is no pass/fail judgement. */
  setScore(raw: number, min: number, max: number, passed: boolean | null): void;
  /** Makes what was written durable; adapters skip it when nothing changed. */
  commit(): void;
  /** Ends the session; nothing is sent after it. */
  finish(exit: 'suspend' | 'normal'): void;
  onStatus(listener: (status: AdapterStatus) => void): void;
}
