/**
 * Every string the runtime shows, in one place. The course's locale (`runtime.*` keys) wins; these
 * English defaults keep a theme whose locale lacks a key from showing the key to the learner.
 */
// The one `{name}` filler, shared with the build's templates.
import { fill } from '../strings.ts';

const defaults: Record<string, string> = {
  saved: 'Saved',
  correct: 'Correct.',
  incorrect: 'Not quite.',
  chooseFirst: 'Choose or type an answer first.',
  pollThanks: 'Thank you, your answer has been recorded.',
  unanswered: 'Answer every question before you submit ({n} unanswered).',
  quizPassed: 'You scored {score}%. The pass mark is {pass}%: you passed.',
  quizFailed: 'You scored {score}%. The pass mark is {pass}%: not passed yet.',
  attemptsLeft: 'Attempts left: {n}.',
  noAttemptsLeft: 'No attempts left. Your best score is {best}%.',
  progress: 'Course progress: {percent}%',
  copied: 'Copied',
  copyFailed: 'Copy failed: select the text and copy it yourself.',
  local: 'Your progress is saved in this browser only.',
  lmsError: 'The learning platform did not accept your latest progress. Keep this window open; your work is also kept in this browser.',
  review: 'Review mode: your answers are not recorded.',
  overflow: 'Your learning platform cannot hold all of your workbook text, so some answers are kept in this browser only. Download your answers to keep a copy.',
  overflowLost:
    'Your learning platform cannot hold all of your workbook text, and this browser cannot store it either. Download your answers now to keep them.',
  elsewhere: 'Some of your workbook answers are saved on another device or browser.',
  download: 'Download my answers',
  loadFailed: 'This page could not be loaded. Check your connection and try again.',
  answersTitle: 'My answers',
  noAnswer: '(no answer yet)',
};

/** The strings only the cmi5 runtime shows (kept apart so the other bundles do not carry them). */
export const CMI5_STRINGS: Record<string, string> = {
  exit: 'Exit course',
  exiting: 'Saving your progress…',
  sessionEnded:
    'This session has ended, so nothing you do here is recorded. To carry on, close this window and open the course again from your learning platform.',
};

export type Strings = (key: string, values?: Record<string, string | number>) => string;

export { fill };

/** The runtime's strings for a course; `more` adds the defaults of one target (CMI5_STRINGS). */
export function strings(course: Record<string, string> = {}, more: Record<string, string> = {}): Strings {
  return (key, values) => fill(course['runtime.' + key] ?? more[key] ?? defaults[key] ?? key, values);
}
