/**
 * Every change to the learner state, as pure functions: the state is never edited in place, and
 * `applyChange` stamps `updated` with the time of each change.
 */
import type { LearnerState, QuizState } from '../state.ts';

/** One change to the learner state: a pure function from the old state to the new one. */
export type Change = (state: LearnerState) => LearnerState;

export const freshQuiz = (): QuizState => ({ attempts: 0, best: null, last: null, passed: false, order: [], submitted: false });

const withId = (list: string[], id: string): string[] => (list.includes(id) ? list : [...list, id]);
const withoutId = (list: string[], id: string): string[] => list.filter((x) => x !== id);
const without = <T>(record: Record<string, T>, ids: string[]): Record<string, T> => {
  const out = { ...record };
  for (const id of ids) delete out[id];
  return out;
};
const updateQuiz = (s: LearnerState, pageId: string, change: (quiz: QuizState) => Partial<QuizState>): LearnerState => {
  const quiz = s.quizzes[pageId] || freshQuiz();
  return { ...s, quizzes: { ...s.quizzes, [pageId]: { ...quiz, ...change(quiz) } } };
};

/** A page was shown: it counts as visited and becomes the bookmark. */
export const visit = (pageId: string): Change => (s) => ({ ...s, visited: withId(s.visited, pageId), bookmark: pageId });

/** Free text was written (or emptied): it is in this state now, not only on a device. */
export const write = (id: string, text: string): Change => (s) => ({
  ...s,
  texts: text ? { ...s.texts, [id]: text } : without(s.texts, [id]),
  textsOnDevice: withoutId(s.textsOnDevice, id),
});

/** A response text was recorded in the LMS (`ref`, see records.ts), or not in a form it returns (null). */
export const recordedText = (id: string, ref: string | null): Change => (s) => ({
  ...s,
  recorded: ref ? { ...s.recorded, [id]: ref } : without(s.recorded, [id]),
});

/** A choice or a fill-in was changed: feedback shown for it is stale. */
export const select = (id: string, values: string[]): Change => (s) => ({
  ...s,
  answers: { ...s.answers, [id]: values },
  checked: withoutId(s.checked, id),
});

/** A knowledge check was checked or a poll submitted: its feedback is shown again on return. */
export const check = (id: string, values: string[]): Change => (s) => ({
  ...s,
  answers: { ...s.answers, [id]: values },
  checked: withId(s.checked, id),
});

/** A new quiz attempt with these questions, in this order. */
export const drawQuiz = (pageId: string, order: string[]): Change => (s) => updateQuiz(s, pageId, () => ({ order, submitted: false }));

/** A quiz attempt was submitted with these answers and this percent score. */
export const submitQuiz = (pageId: string, answers: Record<string, string[]>, score: number, passMark: number): Change => (s) => {
  const next = updateQuiz(s, pageId, (quiz) => ({
    attempts: quiz.attempts + 1,
    last: score,
    best: Math.max(quiz.best ?? 0, score),
    passed: quiz.passed || score >= passMark,
    submitted: true,
  }));
  return { ...next, answers: { ...next.answers, ...answers } };
};

/** "Try again": the quiz's answers are cleared and a new attempt is to be drawn. */
export const retryQuiz = (pageId: string, ids: string[]): Change => (s) =>
  updateQuiz({ ...s, answers: without(s.answers, ids) }, pageId, () => ({ order: [] }));

/** Applies a change and stamps the time it happened. */
export const applyChange = (state: LearnerState, change: Change, now: number = Date.now()): LearnerState => ({
  ...change(state),
  updated: now,
});

/**
 * The state to resume from. The LMS copy wins, except when this device holds a newer one (the LMS
 * missed our last writes). An empty LMS copy means a new attempt: the device copy is then ignored.
 * Texts the LMS could not hold (listed in textsOnDevice) come back from the device copy.
 */
export function mergeStates(lms: LearnerState, device: LearnerState | null): LearnerState {
  if (!device) return lms;
  if (lms.updated && device.updated > lms.updated) return device;
  const texts = { ...lms.texts };
  for (const id of lms.textsOnDevice) if (device.texts[id]) texts[id] = device.texts[id];
  return { ...lms, texts, textsOnDevice: lms.textsOnDevice.filter((id) => !(id in texts)) };
}
