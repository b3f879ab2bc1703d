/**
 * An assessment file: QTI 1.2 in the Common Cartridge profile (`cc.exam.v0p1`), one section, one
 * item per interaction in page order. What the profile carries of the quiz settings: attempts
 * (`cc_maxattempts`, a number or `unlimited`). The pass mark has no field (the rubric states it);
 * question shuffling and drawing have no place in CC 1.1; the README says what to set by hand.
 */
import { x } from 'xastscript';
import { xmlDocument } from '../xml.ts';
import { blockParts, copyTree, innerHtml } from './html.ts';
import { essayItem, material, pollItem, qtiMetadata, questionItem, type ItemContent } from './items.ts';
import { rewriteLinks, type LinkTargets } from './links.ts';
import type { AssessmentPlan } from './plan.ts';

export const QTI_NS = 'http://www.imsglobal.org/xsd/ims_qtiasiv1p2';
export const QTI_XSD = 'http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd';
export const ASSESSMENT_PROFILE = 'cc.exam.v0p1';

/**
 * Points of one question: one on a quiz page; none in a knowledge check, which never counts
 * towards the score (the LMS still marks it right or wrong and shows the feedback). Polls and
 * essays have none either.
 */
export const questionPoints = (plan: AssessmentPlan): number => (plan.page.type === 'quiz' ? 1 : 0);

export interface RenderedAssessment {
  xml: string;
  assets: Set<string>;
}

export function renderAssessment(plan: AssessmentPlan, links: LinkTargets): RenderedAssessment {
  const assets = new Set<string>();
  const html = (element: Parameters<typeof innerHtml>[0]): string => {
    for (const a of rewriteLinks(element, links)) assets.add(a);
    return innerHtml(element);
  };
  // The rubric's links first: the order of the assets is the order of the manifest's dependencies.
  const rubric = plan.rubric === null ? null : x('rubric', [material(html(copyTree(plan.rubric)))]);
  const items = plan.interactions.map((interaction) => {
    const block = plan.blocks.get(interaction.id);
    if (!block) throw new Error(`interaction ${interaction.id} has no block in its page`);
    const parts = blockParts(copyTree(block));
    const content: ItemContent = {
      prompt: html(parts.prompt),
      choices: parts.choices.map((c) => html(c)),
      feedback: parts.feedback ? html(parts.feedback) : null,
    };
    if (interaction.kind === 'question') return questionItem(interaction, content, questionPoints(plan));
    return interaction.kind === 'poll' ? pollItem(interaction, content) : essayItem(interaction, content);
  });
  const root = x('questestinterop', {
    xmlns: QTI_NS,
    'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
    'xsi:schemaLocation': `${QTI_NS} ${QTI_XSD}`,
  }, [
    x('assessment', { ident: plan.ident, title: plan.title }, [
      qtiMetadata(assessmentMetadata(plan)),
      rubric,
      x('section', { ident: `${plan.ident}-section` }, items),
    ]),
  ]);
  return { xml: xmlDocument(root), assets };
}

/** Attempts: the quiz's own; a knowledge check or a workbook as often as the learner likes; a survey once. */
function assessmentMetadata(plan: AssessmentPlan): [string, string][] {
  const attempts = plan.group === 'survey' ? 1 : plan.group === 'questions' ? (plan.page.quiz?.attempts ?? 0) : 0;
  return [
    ['cc_profile', ASSESSMENT_PROFILE],
    ['qmd_assessmenttype', 'Examination'],
    ['qmd_scoretype', 'Percentage'],
    ['qmd_feedbackpermitted', 'Yes'],
    ['cc_maxattempts', attempts > 0 ? String(attempts) : 'unlimited'],
  ];
}
