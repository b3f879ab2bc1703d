/**
 * The learner's session: it owns the learner state (changed only through the pure changes
 * of learner.ts), saves it within the LMS's limits, records answers, publishes the outcome, and ends the
 * LMS session. No DOM here: the UI controllers read the page and call these methods, and the
 * session is tested in Node against an LMS double.
 */
import type { RuntimeCourse, RuntimeInteraction, RuntimePage } from '../../model.ts';
import type { LmsAdapter, StartInfo } from '../adapters/types.ts';
import type { Notice } from '../notices.ts';
import { decodeState, type LearnerState, type QuizState } from '../state.ts';
import { courseOutcome, isFinished, type Outcome } from '../status.ts';
import type { Strings } from '../strings.ts';
import { isCorrect, toRecord } from '../interactions.ts';
import { createDrafts } from './drafts.ts';
import * as learner from './learner.ts';
import { applyChange, mergeStates, type Change } from './learner.ts';
import { canRetry, canSubmit, drawIfNeeded, markAttempt } from './quiz-attempts.ts';
import { browserStore, createSaver, type DeviceStore } from './saving.ts';
import { readRecordedTexts, textRef, withoutRecordedTexts } from './records.ts';

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
  /** A choice or fill-in changed; returns true when feedback was shown for it, which is now stale. */
  select(id: string, values: string[]): boolean;
  /** Text being typed: saved shortly after, `onSaved` then. */
  typeText(id: string, text: string, onSaved: () => void): void;
  /** The learner left a text field: the text is saved and recorded once per distinct value. */
  textDone(id: string, text: string): void;
  /** Text shown from the saved state: already recorded when it was written. */
  textRestored(id: string, text: string): void;
  flushTexts(): void;
  /** The attempt shown on the quiz page, drawn when there is none. */
  quiz(page: RuntimePage): QuizState;
  submitQuiz(page: RuntimePage, given: string[][]): QuizSubmission;
  /** Starts a new attempt; false when "Try again" is not allowed. */
  retryQuiz(page: RuntimePage): boolean;
  /** The page is hidden: save and commit what is pending. */
  hide(): void;
  /** The page goes away: texts still being typed (`open`) are recorded, then the LMS session ends. */
  leave(open: [id: string, text: string][]): void;
}

/** Starts the LMS session and the learner state to resume from, telling the learner where it lives. */
async function resume({ adapter, course, t, notify }: SessionOptions, device: DeviceStore) {
  adapter.onStatus((s) => notify('lms', s.ok ? null : t('lmsError')));
  const info = await adapter.start(course);
  const readOnly = info.mode !== 'normal';
  // The device copy: a safety net for lost LMS writes and the home of texts over the LMS limit.
  const deviceKey = info.storage === 'lms' ? `cp:${course.id}:${info.learnerId}` : '';
  // Texts the LMS keeps in its interaction records come back from there.
  const fromLms = decodeState(info.state);
  const { state: lmsState, intact } = adapter.readText ? readRecordedTexts(fromLms, adapter.readText) : { state: fromLms, intact: false };
  const state = mergeStates(lmsState, deviceKey ? decodeState(device.load(deviceKey)) : null);
  if (readOnly) notify('mode', t('review'));
  if (info.storage === 'browser') notify('local', t('local'));
  if (state.textsOnDevice.length) notify('elsewhere', t('elsewhere'));
  return { info, readOnly, deviceKey, state, recordsReturned: intact };
}

/** Answers as LMS interactions, timed from when their page was shown; free text once per distinct text. */
function answerRecorder(adapter: LmsAdapter, course: RuntimeCourse, now: () => number, onText: (id: string, ref: string | null) => void) {
  let shownAt = now();
  const recordedTexts = new Map<string, string>();
  const record = (it: RuntimeInteraction, values: string[], result: 'correct' | 'incorrect' | 'neutral', weight: number) =>
    adapter.recordInteraction(toRecord(it, values, result, weight, now() - shownAt));
  return {
    record,
    restartClock: (): void => void (shownAt = now()),
    recordText(id: string, text: string): void {
      const it = course.interactions[id];
      if (it && text.trim() && recordedTexts.get(id) !== text) {
        recordedTexts.set(id, text);
        const index = record(it, [text], 'neutral', 0);
        onText(id, typeof index === 'number' ? textRef(index, text) : null);
      }
    },
    /** Text shown from the saved state was recorded when it was written. */
    textRestored(id: string, text: string): void {
      if (text && !recordedTexts.has(id)) recordedTexts.set(id, text);
    },
  };
}

/** Tells the LMS the outcome whenever it changes (and `onOutcome` every time). */
function outcomePublisher(adapter: LmsAdapter, course: RuntimeCourse, onOutcome?: (outcome: Outcome) => void) {
  let published = '';
  return (state: LearnerState): Outcome => {
    const outcome = courseOutcome(course, state);
    const key = JSON.stringify(outcome);
    if (key !== published) {
      published = key;
      if (outcome.score !== null) adapter.setScore(outcome.score, 0, 100, outcome.passed);
      adapter.setProgress(outcome.measure, outcome.completed);
    }
    onOutcome?.(outcome);
    return outcome;
  };
}

export async function startSession(options: SessionOptions): Promise<Session> {
  const { adapter, course, t, notify } = options;
  const now = options.now ?? Date.now;
  const device = options.device ?? browserStore;
  const { info, readOnly, deviceKey, state: resumed, recordsReturned } = await resume(options, device);
  let state = resumed;
  let changed = false;
  const update = (change: Change): void => {
    state = applyChange(state, change, now());
    changed = true;
  };
  const saveState = createSaver({
    adapter, device, deviceKey, t, notify, downloadAnswers: () => options.downloadAnswers(),
    // Only an LMS that returned its records at this launch is trusted to return them at the next.
    forLms: recordsReturned ? withoutRecordedTexts : undefined,
  });
  function save(commit: boolean): void {
    if (changed && !readOnly) {
      changed = false;
      saveState(state);
    }
    if (commit) adapter.commit();
  }
  const publish = outcomePublisher(adapter, course, options.onOutcome);
  const publishOutcome = (): Outcome => publish(state);
  const answers = answerRecorder(adapter, course, now, (id, ref) => update(learner.recordedText(id, ref)));
  const drafts = createDrafts(
    (id, text) => update(learner.write(id, text)),
    () => {
      publishOutcome();
      save(false);
    },
  );
  const quiz = (page: RuntimePage): QuizState => {
    const draw = drawIfNeeded(course, page, state.quizzes[page.id]);
    if (draw) update(draw);
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
      answers.restartClock();
      update(learner.visit(pageId));
    },
    checkpoint() {
      publishOutcome();
      save(true);
    },
    check(it, values) {
      update(learner.check(it.id, values));
      const correct = it.kind === 'question' && isCorrect(it, values);
      answers.record(it, values, it.kind === 'question' ? (correct ? 'correct' : 'incorrect') : 'neutral', 0);
      save(true);
      return correct;
    },
    select(id, values) {
      const hadFeedback = state.checked.includes(id);
      update(learner.select(id, values));
      save(false);
      return hadFeedback;
    },
    typeText: drafts.write,
    textDone(id, text) {
      drafts.flush();
      answers.recordText(id, text);
      save(true);
    },
    textRestored: answers.textRestored,
    flushTexts: () => void drafts.flush(),
    quiz,
    submitQuiz(page, given) {
      const current = quiz(page);
      if (!canSubmit(page, current)) return { status: 'closed' };
      const missing = given.filter((v) => !v.length).length;
      if (missing) return { status: 'incomplete', missing };
      const { change, marks } = markAttempt(course, page, current, given);
      for (const m of marks) answers.record(course.interactions[m.id], m.values, m.correct ? 'correct' : 'incorrect', 1);
      update(change);
      publishOutcome();
      save(true);
      return { status: 'submitted', quiz: state.quizzes[page.id] };
    },
    retryQuiz(page) {
      if (!canRetry(page, quiz(page))) return false;
      update(learner.retryQuiz(page.id, page.interactionIds));
      answers.restartClock();
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
      for (const [id, text] of open) answers.recordText(id, text);
      save(false);
      // Suspend unless the course is finished and asks for a normal exit (course.yml `reporting`):
      // a normal exit lets LMSs start a fresh attempt on the next launch, without the learner's texts.
      const exit = course.reporting?.exit === 'normal' && isFinished(course, state) ? 'normal' : 'suspend';
      adapter.finish(exit); // commits what is pending, then ends
    },
  };
}
