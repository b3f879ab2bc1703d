/**
 * What the cartridge holds, page by page, before anything is written. Each page's interactions
 * are grouped into assessments by what the LMS should do with them:
 * - `questions` (graded): the knowledge checks of a lesson, or a quiz page (the final exam);
 * - `survey` (no points, no right answer): polls, and every block of a survey page;
 * - `answers` (essays, no points until a teacher gives some): workbook and capstone responses.
 * A quiz page, or a page that holds nothing but one group and at most a paragraph of introduction,
 * becomes that assessment alone (the introduction its rubric); any other page stays a page and the
 * assessments follow it in its module.
 */
import type { Element, Root } from 'hast';
import { h } from 'hastscript';
import { memoized, type Memo } from '../../memo.ts';
import type { CompiledCourse, Interaction, Page, QuizSettings } from '../../model.ts';
import type { RenderedBody } from '../../render/site.ts';
import { contentNodes, interactionBlocks, isInteractionBlock } from './html.ts';
import { assessmentPath, ids, pagePath } from './layout.ts';
import type { Say } from './strings.ts';

export const GROUPS = ['questions', 'survey', 'answers'] as const;
export type Group = (typeof GROUPS)[number];

export interface AssessmentPlan {
  ident: string;
  /** The blocks of the page the interactions come from, by interaction id (read from the tree on first use; not to be changed). */
  readonly blocks: Map<string, Element>;
  title: string;
  group: Group;
  page: Page;
  interactions: Interaction[];
  /** Path of the QTI file. */
  href: string;
  /** The page's introduction when the page became this assessment, and a quiz's rules (read on first use; not to be changed). */
  readonly rubric: Root | null;
  /** Whether there is a rubric, known without reading the page's tree. */
  hasRubric: boolean;
}

export interface PagePlan {
  page: Page;
  /** The page body as the site renders it (read on first use); renderers work on copies. */
  readonly tree: Root;
  /** The page's own file; null when the page became its assessment. */
  href: string | null;
  assessments: AssessmentPlan[];
}

export interface ModulePlan {
  /** null for the course overview. */
  id: string | null;
  title: string;
  pages: PagePlan[];
}

export interface CartridgePlan {
  modules: ModulePlan[];
  pages: Map<string, PagePlan>;
  assessments: AssessmentPlan[];
}

export function groupOf(interaction: Interaction, page: Page): Group {
  if (interaction.kind === 'question') return 'questions';
  if (interaction.kind === 'poll' || page.type === 'survey') return 'survey';
  return 'answers';
}

/**
 * With a memo, the shape of an unchanged page comes from the memo, and a page's tree is read only
 * when one of its files is rendered again.
 */
export function planCartridge(
  { course, interactions }: CompiledCourse, bodies: Map<string, RenderedBody>, say: Say, memo?: Memo,
): CartridgePlan {
  const pages = new Map<string, PagePlan>();
  for (const page of course.pages) pages.set(page.id, planPage(page, bodies.get(page.id)!, interactions, say, memo));
  const modules: ModulePlan[] = [];
  const overview = course.pages.filter((p) => p.moduleId === null);
  if (overview.length) modules.push({ id: null, title: say('shell.overview'), pages: overview.map((p) => pages.get(p.id)!) });
  for (const module of course.modules) {
    modules.push({ id: module.id, title: module.title, pages: module.pageIds.map((id) => pages.get(id)!) });
  }
  return { modules, pages, assessments: [...pages.values()].flatMap((p) => p.assessments) };
}

/** What of a page's tree decides its plan: the nodes of its introduction (all but its blocks). */
interface PageShape {
  introductionNodes: number;
  shortIntroduction: boolean;
}

function planPage(page: Page, body: RenderedBody, interactions: CompiledCourse['interactions'], say: Say, memo?: Memo): PagePlan {
  const byGroup = new Map<Group, Interaction[]>();
  for (const id of page.interactionIds) {
    const interaction = interactions.get(id)!;
    const group = groupOf(interaction, page);
    byGroup.set(group, [...(byGroup.get(group) ?? []), interaction]);
  }
  const introductionOf = (tree: Root) => contentNodes(tree.children.filter((n) => !isInteractionBlock(n)));
  const shape = memoized(memo, ['cc-shape', body.key], (): PageShape => {
    const introduction = introductionOf(body.tree);
    return { introductionNodes: introduction.length, shortIntroduction: isShortIntroduction(introduction) };
  });
  const folds = byGroup.size === 1 && (page.type === 'quiz' || shape.shortIntroduction);
  let blocks: Map<string, Element> | undefined;
  const assessments = GROUPS.filter((g) => byGroup.has(g)).map((group): AssessmentPlan => {
    const ident = ids.assessment(page.id, group);
    const rules = page.quiz !== null && group === 'questions';
    let rubric: Root | null | undefined;
    return {
      ident,
      title: folds ? page.title : say('cc.title', { page: page.title, kind: say(`cc.${group}`) }),
      group,
      page,
      get blocks() { return blocks ??= interactionBlocks(body.tree); },
      interactions: byGroup.get(group)!,
      href: assessmentPath(ident),
      get rubric() {
        if (rubric === undefined) rubric = rubricOf(rules ? page.quiz : null, folds ? introductionOf(body.tree) : [], say);
        return rubric;
      },
      hasRubric: rules || (folds && shape.introductionNodes > 0),
    };
  });
  return { page, get tree() { return body.tree; }, href: folds ? null : pagePath(page.id), assessments };
}

/**
 * What the assessment says before its questions: the introduction of a page it replaces, and for a
 * quiz its pass mark and attempts (the cartridge has no field for the pass mark; the text tells
 * learners, and teachers what to set).
 */
function rubricOf(quiz: QuizSettings | null, introduction: Root['children'], say: Say): Root | null {
  const nodes = [...introduction];
  if (quiz) {
    const attempts = quiz.attempts > 0 ? say('quiz.attemptsLimited', { attempts: quiz.attempts }) : say('quiz.attemptsUnlimited');
    nodes.push(h('p', say('quiz.intro', { pass: quiz.passMark, attempts })));
  }
  return nodes.length ? { type: 'root', children: nodes } : null;
}

/** At most one paragraph besides the blocks: an introduction, not a page of its own. */
function isShortIntroduction(nodes: Root['children']): boolean {
  return nodes.length <= 1 && nodes.every((n) => n.type === 'element' && n.tagName === 'p');
}

