/**
 * The course model: the contract between the compiler (src/compile), the renderer (src/render),
 * the packagers (src/targets) and the browser runtime (src/runtime).
 *
 * Every id here comes from the source (front matter, directive `#id`, file or folder name), never
 * from position or build time, so a republished course keeps learners' progress and reports.
 */

import type { PageBody } from './blocks.ts';

export const TARGETS = ['scorm12', 'scorm2004', 'xapi', 'cmi5', 'web', 'cc'] as const;
export type TargetName = (typeof TARGETS)[number];

export const PAGE_TYPES = ['lesson', 'quiz', 'workbook', 'survey'] as const;
export type PageType = (typeof PAGE_TYPES)[number];

export const QUESTION_TYPES = ['single', 'multiple', 'true-false', 'fill-in'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const POLL_TYPES = ['single', 'multiple', 'likert'] as const;
export type PollType = (typeof POLL_TYPES)[number];

/** Where a thing was written: a path relative to the course folder, 1-based line and column. */
export interface SourcePlace {
  file: string;
  line: number;
  column: number;
}

export interface Course {
  /** The course IRI: every xAPI activity id lives under it. */
  id: string;
  /** File-name stem of the packages: `dist/<slug>-scorm12.zip`. */
  slug: string;
  title: string;
  description: string;
  /** BCP 47 language tag, e.g. `en` or `en-GB`. */
  language: string;
  version: string;
  organisation: string;
  targets: TargetName[];
  theme: string;
  completion: CompletionRule;
  scoring: ScoringRule | null;
  reporting: ReportingRule;
  assistant: Assistant;
  modules: Module[];
  /** Every page in reading order (the overview first, then each module's pages). */
  pages: Page[];
}

export interface CompletionRule {
  /** `all`: every page must be visited; `required`: pages with `required: false` do not count. */
  pages: 'all' | 'required';
  /** Ids of `response` blocks that must hold text before the course counts as completed. */
  responses: string[];
}

export interface ScoringRule {
  /** Id of the quiz page whose best attempt is the course score. */
  quiz: string;
  /** Pass mark for the course, 0..1 (SCORM 2004 scaled passing score, cmi5 masteryScore). */
  mastery: number;
}

export const SCORM12_STATUS_PAIRS = ['passed/incomplete', 'passed/failed', 'completed/incomplete', 'completed/failed'] as const;

/** What the LMS is told (course.yml `reporting`; docs/authoring.md says what each LMS shows). */
export interface ReportingRule {
  /** SCORM 1.2 `lesson_status` for a course done and passed / done and not passed. */
  scorm12: (typeof SCORM12_STATUS_PAIRS)[number];
  /** `failed` after any failed attempt of the scoring quiz, or only once no attempt is left. */
  failed: 'any-attempt' | 'last-attempt';
  /** Leaving a finished course: `suspend` keeps the attempt open (texts editable), `normal` closes it. */
  exit: 'suspend' | 'normal';
}

export interface Assistant {
  name: string;
  /** URL template with `{prompt}`; without one a prompt card offers "copy prompt". */
  url: string | null;
}

export interface Module {
  id: string;
  title: string;
  /** 1-based position, shown to learners only ("Module 3"); never used as an id. */
  number: number;
  pageIds: string[];
  source: string;
}

export interface QuizSettings {
  /** Pass mark in percent, 0..100. */
  passMark: number;
  /** Attempts allowed; 0 means unlimited. */
  attempts: number;
  shuffle: boolean;
  /** Draw this many questions from the page's pool per attempt; null draws all. */
  draw: number | null;
}

export interface Page {
  id: string;
  title: string;
  type: PageType;
  /** null for the course overview, which belongs to no module. */
  moduleId: string | null;
  /** As the author wrote it, e.g. "15-20 mins". */
  duration: string | null;
  required: boolean;
  quiz: QuizSettings | null;
  /** Ids of the interactions on this page, in document order. */
  interactionIds: string[];
  /** Prompts for the course assistant on this page (plain text). */
  prompts: string[];
  /** The page body as a Markdown tree with its blocks lowered; the renderer makes it HTML. */
  body: PageBody;
  /** Plain-text headings of the page (level 1-3), for tests and search. */
  headings: string[];
  source: string;
  /**
   * Compiled with a page cache: the hash of everything the page was compiled from, so that what is
   * made from the page is memoised without hashing its body again.
   */
  key?: string;
}

/**
 * A copy of a page without its body, made without reading the body: a cached page reads its body
 * only on first use (cache.ts).
 */
export function withoutBody(page: Page): Omit<Page, 'body'> {
  const { body: _body, ...fields } = Object.getOwnPropertyDescriptors(page);
  return Object.defineProperties({}, fields) as Omit<Page, 'body'>;
}

export interface Choice {
  /** Short stable id: `a`..`z` in authored order (SCORM 1.2 allows single characters only). */
  id: string;
  text: string;
}

interface InteractionBase {
  id: string;
  pageId: string;
  /** Plain-text prompt, for LMS reports (SCORM 2004 description is at most 250 characters). */
  prompt: string;
  source: SourcePlace;
}

export interface Question extends InteractionBase {
  kind: 'question';
  type: QuestionType;
  /** Empty for fill-in. */
  choices: Choice[];
  /** Choice ids; for fill-in the accepted answers (compared trimmed, case-insensitively). */
  correct: string[];
}

export interface Poll extends InteractionBase {
  kind: 'poll';
  type: PollType;
  choices: Choice[];
}

export interface Response extends InteractionBase {
  kind: 'response';
}

export type Interaction = Question | Poll | Response;

export interface CompiledCourse {
  course: Course;
  interactions: Map<string, Interaction>;
  /** Files the pages refer to, relative to the course folder (images and other media). */
  assets: string[];
}

/**
 * What the browser runtime receives (`course.js` sets `self.COURSEPACK`): the model without page
 * bodies, sources or anything the learner's page does not need.
 */
export interface RuntimeCourse {
  id: string;
  title: string;
  language: string;
  version: string;
  completion: CompletionRule;
  scoring: ScoringRule | null;
  /** Absent: as `reporting` defaults (passed/failed, any-attempt, suspend). */
  reporting?: ReportingRule;
  modules: { id: string; title: string; number: number }[];
  pages: RuntimePage[];
  interactions: Record<string, RuntimeInteraction>;
  /** UI strings of the course language (themes/<theme>/locales/<lang>.json). */
  strings: Record<string, string>;
}

export interface RuntimePage {
  id: string;
  title: string;
  type: PageType;
  moduleId: string | null;
  required: boolean;
  quiz: QuizSettings | null;
  interactionIds: string[];
  /** Relative URL of the page fragment, e.g. `pages/lesson-1-1.html`. */
  href: string;
}

export type RuntimeInteraction =
  | Omit<Question, 'source'>
  | Omit<Poll, 'source'>
  | Omit<Response, 'source'>;
