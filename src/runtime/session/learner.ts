/**
 * Every change to the learner state, as one reducer: a change is an action, the state is never
 * edited in place, and each action stamps `updated` with the time it happened.
 */
import type { LearnerState, QuizState } from '../state.ts';

export type LearnerAction =
  /** A page was shown: it counts as visited and becomes the bookmark. */
  | { type: 'visit'; pageId: string }
  /** Free text was written (or emptied). */
  | { type: 'write'; id: string; text: string }
  /** A choice or a fill-in was changed: a verdict shown for it is stale. */
  | { type: 'select'; id: string; values: string[] }
  /** A knowledge check was checked or a poll submitted: its verdict is shown again on return. */
  | { type: 'check'; id: string; values: string[] }
  /** A new quiz attempt with these questions, in this order. */
  | { type: 'drawQuiz'; pageId: string; order: string[] }
  /** A quiz attempt was submitted with these answers and this percent score. */
  | { type: 'submitQuiz'; pageId: string; answers: Record<string, string[]>; score: number; passMark: number }
  /** "Try again": the quiz's answers are cleared and a new attempt is to be drawn. */
  | { type: 'retryQuiz'; pageId: string; ids: string[] };

export const freshQuiz = (): QuizState => ({ attempts: 0, best: null, last: null, passed: false, order: [], submitted: false });

const withId = (list: string[], id: string): string[] => (list.includes(id) ? list : [...list, id]);
const withoutId = (list: string[], id: string): string[] => list.filter((x) => x !== id);
const without = <T>(record: Record<string, T>, ids: string[]): Record<string, T> => {
  const out = { ...record };
  for (const id of ids) delete out[id];
  return out;
};

function updateQuiz(state: LearnerState, pageId: string, change: (quiz: QuizState) => Partial<QuizState>): LearnerState {
  const quiz = state.quizzes[pageId] || freshQuiz();
  return { ...state, quizzes: { ...state.quizzes, [pageId]: { ...quiz, ...change(quiz) } } };
}

function apply(state: LearnerState, action: LearnerAction): LearnerState {
  switch (action.type) {
    case 'visit':
      return { ...state, visited: withId(state.visited, action.pageId), bookmark: action.pageId };
    case 'write':
      return {
        ...state,
        texts: action.text ? { ...state.texts, [action.id]: action.text } : without(state.texts, [action.id]),
        textsOnDevice: withoutId(state.textsOnDevice, action.id),
      };
    case 'select':
      return { ...state, answers: { ...state.answers, [action.id]: action.values }, checked: withoutId(state.checked, action.id) };
    case 'check':
      return { ...state, answers: { ...state.answers, [action.id]: action.values }, checked: withId(state.checked, action.id) };
    case 'drawQuiz':
      return updateQuiz(state, action.pageId, () => ({ order: action.order, submitted: false }));
    case 'submitQuiz': {
      const next = updateQuiz(state, action.pageId, (quiz) => ({
        attempts: quiz.attempts + 1,
        last: action.score,
        best: Math.max(quiz.best ?? 0, action.score),
        passed: quiz.passed || action.score >= action.passMark,
        submitted: true,
      }));
      return { ...next, answers: { ...next.answers, ...action.answers } };
    }
    case 'retryQuiz':
      return updateQuiz({ ...state, answers: without(state.answers, action.ids) }, action.pageId, () => ({ order: [] }));
  }
}

export function reduce(state: LearnerState, action: LearnerAction, now: number = Date.now()): LearnerState {
  return { ...apply(state, action), updated: now };
}

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
