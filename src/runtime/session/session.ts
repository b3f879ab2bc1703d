/**
 * The learner's session: it owns the learner state (changed only through the reducer in
 * learner.ts), saves it within the LMS's limits, reports answers and the outcome, and ends the
 * LMS session. No DOM here: the UI controllers read the page and call these methods, and the
 * session is tested in Node against an LMS double.
 */
import type { RuntimeCourse, RuntimeInteraction, RuntimePage } from '../../model.ts';
import type { LmsAdapter, StartInfo } from '../adapters/types.ts';
import type { Notice } from '../notices.ts';
import { decodeState, type LearnerState, type QuizState } from '../state.ts';
import { courseOutcome, type Outcome } from '../status.ts';
import type { Strings } from '../strings.ts';
import { isCorrect, toRecord } from '../interactions.ts';
import { createDrafts } from './drafts.ts';
import { mergeStates, reduce, type LearnerAction } from './learner.ts';
import { canRetry, canSubmit, drawIfNeeded, markAttempt } from './quiz-attempts.ts';
import { browserStore, createSaver, type DeviceStore } from './saving.ts';

export interface SessionOptions {
  adapter: LmsAdapter;
  course: RuntimeCourse;
  t: Strings;
  notify: Notice;
  /** Offered to the learner when their texts did not fit in the LMS. */
  downloadAnswers: () => void;
  /** Every outcome the session publishes (the progress bar shows it). */
  onOutcome?: (outcome: Outcome) => void;
  device?: DeviceStore;
  now?: () => number;
}

export type QuizSubmission =
  | { status: 'closed' }
  | { status: 'incomplete'; missing: number }
  | { status: 'submitted'; quiz: QuizState };

export interface Session {
  readonly info: StartInfo;
  /** Browse or review: shown, never recorded. */
  readonly readOnly: boolean;
  readonly state: LearnerState;
  /** Sends the state if it changed; commits when asked (page change, answer, leaving). */
  save(commit: boolean): void;
  /** Tells the LMS the outcome when it changed, and returns it. */
  publishOutcome(): Outcome;
  /** A page was mounted: it counts as visited, and answer times count from here. */
  visit(pageId: string): void;
  /** A page change is complete: the outcome is published and the state saved and committed. */
  checkpoint(): void;
  /** A knowledge check was checked or a poll submitted; returns whether the answer is correct. */
  check(it: RuntimeInteraction, values: string[]): boolean;
  /** A choice or fill-in changed; returns true when it had a verdict, which is now stale. */
  select(id: string, values: string[]): boolean;
  /** Text being typed: saved shortly after, `onSaved` then. */
  typeText(id: string, text: string, onSaved: () => void): void;
  /** The learner left a text field: the text is saved and reported once per distinct value. */
  textDone(id: string, text: string): void;
  /** Text shown from the saved state: already reported when it was written. */
  textRestored(id: string, text: string): void;
  flushTexts(): void;
  /** The attempt shown on the quiz page, drawn when there is none. */
  quiz(page: RuntimePage): QuizState;
  submitQuiz(page: RuntimePage, given: string[][]): QuizSubmission;
  /** Starts a new attempt; false when "Try again" is not allowed. */
  retryQuiz(page: RuntimePage): boolean;
  /** The page is hidden: save and commit what is pending. */
  hide(): void;
  /** The page goes away: texts still being typed (`open`) are reported, then the LMS session ends. */
  leave(open: [id: string, text: string][]): void;
}

export async function startSession(o: SessionOptions): Promise<Session> {
  const { adapter, course, t, notify } = o;
  const now = o.now ?? Date.now;
  const device = o.device ?? browserStore;
  adapter.onStatus((s) => notify('lms', s.ok ? null : t('lmsError')));
  const info = await adapter.start(course);
  const readOnly = info.mode !== 'normal';
  const deviceKey = info.storage === 'lms' ? `cp:${course.id}:${info.learnerId}` : '';
  let state = mergeStates(decodeState(info.state), deviceKey ? decodeState(device.load(deviceKey)) : null);
  if (readOnly) notify('mode', t('review'));
  if (info.storage === 'browser') notify('local', t('local'));
  if (state.textsOnDevice.length) notify('elsewhere', t('elsewhere'));

  let changed = false;
  const dispatch = (action: LearnerAction): void => {
    state = reduce(state, action, now());
    changed = true;
  };
  const saveState = createSaver({ adapter, device, deviceKey, t, notify, downloadAnswers: () => o.downloadAnswers() });
  function save(commit: boolean): void {
    if (changed && !readOnly) {
      changed = false;
      saveState(state);
    }
    if (commit) adapter.commit();
  }

  let published = '';
  function publishOutcome(): Outcome {
    const outcome = courseOutcome(course, state);
    const key = JSON.stringify(outcome);
    if (key !== published) {
      published = key;
      if (outcome.score !== null) adapter.setScore(outcome.score, 0, 100, outcome.passed);
      adapter.setProgress(outcome.measure, outcome.completed);
    }
    o.onOutcome?.(outcome);
    return outcome;
  }

  let shownAt = now();
  const record = (it: RuntimeInteraction, values: string[], result: 'correct' | 'incorrect' | 'neutral', weight: number): void =>
    adapter.recordInteraction(toRecord(it, values, result, weight, now() - shownAt));
  /** Free text reported to the LMS, per response: each distinct text once. */
  const reported = new Map<string, string>();
  function reportText(id: string, text: string): void {
    const it = course.interactions[id];
    if (it && text.trim() && reported.get(id) !== text) {
      reported.set(id, text);
      record(it, [text], 'neutral', 0);
    }
  }
  const drafts = createDrafts(
    (id, text) => dispatch({ type: 'write', id, text }),
    () => {
      publishOutcome();
      save(false);
    },
  );

  const quiz = (page: RuntimePage): QuizState => {
    const draw = drawIfNeeded(course, page, state.quizzes[page.id]);
    if (draw) dispatch(draw);
    return state.quizzes[page.id];
  };

  return {
    info,
    readOnly,
    get state() {
      return state;
    },
    save,
    publishOutcome,
    visit(pageId) {
      shownAt = now();
      dispatch({ type: 'visit', pageId });
    },
    checkpoint() {
      publishOutcome();
      save(true);
    },
    check(it, values) {
      dispatch({ type: 'check', id: it.id, values });
      const correct = it.kind === 'question' && isCorrect(it, values);
      record(it, values, it.kind === 'question' ? (correct ? 'correct' : 'incorrect') : 'neutral', 0);
      save(true);
      return correct;
    },
    select(id, values) {
      const hadVerdict = state.checked.includes(id);
      dispatch({ type: 'select', id, values });
      save(false);
      return hadVerdict;
    },
    typeText: drafts.write,
    textDone(id, text) {
      drafts.flush();
      reportText(id, text);
      save(true);
    },
    textRestored(id, text) {
      if (text && !reported.has(id)) reported.set(id, text);
    },
    flushTexts: () => void drafts.flush(),
    quiz,
    submitQuiz(page, given) {
      const current = quiz(page);
      if (!canSubmit(page, current)) return { status: 'closed' };
      const missing = given.filter((v) => !v.length).length;
      if (missing) return { status: 'incomplete', missing };
      const { action, marks } = markAttempt(course, page, current, given);
      for (const m of marks) record(course.interactions[m.id], m.values, m.correct ? 'correct' : 'incorrect', 1);
      dispatch(action);
      publishOutcome();
      save(true);
      return { status: 'submitted', quiz: state.quizzes[page.id] };
    },
    retryQuiz(page) {
      if (!canRetry(page, quiz(page))) return false;
      dispatch({ type: 'retryQuiz', pageId: page.id, ids: page.interactionIds });
      shownAt = now();
      quiz(page);
      save(false);
      return true;
    },
    hide() {
      drafts.flush();
      save(true);
    },
    leave(open) {
      drafts.flush();
      for (const [id, text] of open) reportText(id, text);
      save(false);
      // Always suspend, even when finished: a normal exit lets LMSs start a fresh attempt on the
      // next launch, and the learner would lose their workbook and capstone text.
      adapter.finish('suspend'); // commits what is pending, then ends
    },
  };
}
