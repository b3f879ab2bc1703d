/**
 * One QTI 1.2 item per interaction, in the Common Cartridge question profiles, written the way
 * both importers read them:
 * - every choice's ident is its model id, except true/false, whose idents must be `true` and
 *   `false` (Moodle aborts the whole import otherwise);
 * - the correct answer sets SCORE to exactly 100; multiple response names every choice in one
 *   `and`, the wrong ones under `not`, each with `case="Yes"` (what Moodle reads as "correct");
 * - fill-in lists every accepted answer as a `varequal` of one condition (any of them scores);
 * - the question's `:::feedback` is the general feedback (`general_fb`), shown whatever the answer.
 */
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { Choice, Poll, Question, QuestionType, Response } from '../../model.ts';

export const ITEM_PROFILES: Record<QuestionType | 'essay', string> = {
  single: 'cc.multiple_choice.v0p1',
  multiple: 'cc.multiple_response.v0p1',
  'true-false': 'cc.true_false.v0p1',
  'fill-in': 'cc.fib.v0p1',
  essay: 'cc.essay.v0p1',
};

export const RESPONSE_ID = 'response1';
export const GENERAL_FEEDBACK = 'general_fb';

/** An interaction's content as HTML, links already pointing into the cartridge. */
export interface ItemContent {
  prompt: string;
  choices: string[];
  feedback: string | null;
}

/** The ident of a choice in the item: true/false use their meaning, the others their model id. */
export function choiceIdent(type: QuestionType | Poll['type'], choice: Choice): string {
  return type === 'true-false' ? choice.text.trim().toLowerCase() : choice.id;
}

export function questionItem(section: XMLBuilder, question: Question, content: ItemContent, points: number): void {
  const item = start(section, question.id, question.prompt, ITEM_PROFILES[question.type], points);
  const presentation = item.ele('presentation');
  material(presentation, content.prompt);
  if (question.type === 'fill-in') fillIn(presentation);
  else choices(presentation, question.type === 'multiple', question.choices.map((c, i) => [choiceIdent(question.type, c), content.choices[i]]));
  const processing = resprocessing(item);
  if (content.feedback !== null) generalFeedback(processing);
  const scoring = processing.ele('respcondition', { continue: 'No' });
  const condition = scoring.ele('conditionvar');
  const idents = new Map(question.choices.map((c) => [c.id, choiceIdent(question.type, c)]));
  if (question.type === 'fill-in') {
    for (const answer of question.correct) condition.ele('varequal', { respident: RESPONSE_ID, case: 'No' }).txt(answer);
  } else if (question.type === 'multiple') {
    const all = condition.ele('and');
    for (const choice of question.choices) {
      const parent = question.correct.includes(choice.id) ? all : all.ele('not');
      parent.ele('varequal', { respident: RESPONSE_ID, case: 'Yes' }).txt(idents.get(choice.id)!);
    }
  } else {
    condition.ele('varequal', { respident: RESPONSE_ID }).txt(idents.get(question.correct[0])!);
  }
  scoring.ele('setvar', { action: 'Set', varname: 'SCORE' }).txt('100');
  if (content.feedback !== null) feedback(item, GENERAL_FEEDBACK, content.feedback);
}

/** A poll: the same choices, no right answer, no points. */
export function pollItem(section: XMLBuilder, poll: Poll, content: ItemContent): void {
  const multiple = poll.type === 'multiple';
  const item = start(section, poll.id, poll.prompt, ITEM_PROFILES[multiple ? 'multiple' : 'single'], 0);
  const presentation = item.ele('presentation');
  material(presentation, content.prompt);
  choices(presentation, multiple, poll.choices.map((c, i) => [choiceIdent(poll.type, c), content.choices[i]]));
  // No response processing: no answer scores (the profile wants a condition wherever there is one).
}

/** A response block: an essay with the task as its text, marked by a teacher (or not at all). */
export function essayItem(section: XMLBuilder, response: Response, content: ItemContent): void {
  const item = start(section, response.id, response.prompt, ITEM_PROFILES.essay, 0, [['qmd_computerscored', 'No']]);
  const presentation = item.ele('presentation');
  material(presentation, content.prompt);
  presentation.ele('response_str', { ident: RESPONSE_ID, rcardinality: 'Single' }).ele('render_fib').ele('response_label', { ident: 'answer' });
  resprocessing(item).ele('respcondition', { continue: 'No' }).ele('conditionvar').ele('other');
}

function start(section: XMLBuilder, ident: string, title: string, profile: string, points: number, more: [string, string][] = []): XMLBuilder {
  const item = section.ele('item', { ident, title });
  const metadata = item.ele('itemmetadata').ele('qtimetadata');
  for (const [label, entry] of [['cc_profile', profile], ['cc_weighting', String(points)], ...more]) {
    const field = metadata.ele('qtimetadatafield');
    field.ele('fieldlabel').txt(label);
    field.ele('fieldentry').txt(entry);
  }
  return item;
}

export function material(parent: XMLBuilder, html: string): void {
  parent.ele('material').ele('mattext', { texttype: 'text/html' }).txt(html);
}

function choices(presentation: XMLBuilder, multiple: boolean, labels: [string, string][]): void {
  const render = presentation
    .ele('response_lid', { ident: RESPONSE_ID, rcardinality: multiple ? 'Multiple' : 'Single' })
    .ele('render_choice', { shuffle: 'No' });
  for (const [ident, html] of labels) material(render.ele('response_label', { ident }), html);
}

function fillIn(presentation: XMLBuilder): void {
  presentation.ele('response_str', { ident: RESPONSE_ID, rcardinality: 'Single' }).ele('render_fib').ele('response_label', { ident: 'answer' });
}

function resprocessing(item: XMLBuilder): XMLBuilder {
  const processing = item.ele('resprocessing');
  processing.ele('outcomes').ele('decvar', { varname: 'SCORE', vartype: 'Decimal', minvalue: '0', maxvalue: '100' });
  return processing;
}

function generalFeedback(processing: XMLBuilder): void {
  const condition = processing.ele('respcondition', { continue: 'Yes' });
  condition.ele('conditionvar').ele('other');
  condition.ele('displayfeedback', { feedbacktype: 'Response', linkrefid: GENERAL_FEEDBACK });
}

function feedback(item: XMLBuilder, ident: string, html: string): void {
  material(item.ele('itemfeedback', { ident }).ele('flow_mat'), html);
}
