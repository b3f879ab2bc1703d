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
import type { Element } from 'xast';
import { x } from 'xastscript';
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

export function questionItem(question: Question, content: ItemContent, points: number): Element {
  const response = question.type === 'fill-in'
    ? textResponse()
    : choices(question.type === 'multiple', choiceLabels(question.type, question.choices, content));
  return item(question.id, question.prompt, itemFields(ITEM_PROFILES[question.type], points), [
    x('presentation', [material(content.prompt), response]),
    resprocessing([
      content.feedback === null ? null : showGeneralFeedback(),
      x('respcondition', { continue: 'No' }, [
        x('conditionvar', correctAnswer(question)),
        x('setvar', { action: 'Set', varname: 'SCORE' }, '100'),
      ]),
    ]),
    content.feedback === null ? null : generalFeedback(content.feedback),
  ]);
}

/** A poll: the same choices, no right answer, no points. */
export function pollItem(poll: Poll, content: ItemContent): Element {
  const multiple = poll.type === 'multiple';
  // No response processing: no answer scores (the profile wants a condition wherever there is one).
  return item(poll.id, poll.prompt, itemFields(ITEM_PROFILES[multiple ? 'multiple' : 'single'], 0), [
    x('presentation', [material(content.prompt), choices(multiple, choiceLabels(poll.type, poll.choices, content))]),
  ]);
}

/** A response block: an essay with the task as its text, marked by a teacher (or not at all). */
export function essayItem(response: Response, content: ItemContent): Element {
  return item(response.id, response.prompt, [...itemFields(ITEM_PROFILES.essay, 0), ['qmd_computerscored', 'No']], [
    x('presentation', [material(content.prompt), textResponse()]),
    resprocessing([x('respcondition', { continue: 'No' }, [x('conditionvar', [x('other')])])]),
  ]);
}

/** `qtimetadata` with one field per label and entry. */
export function qtiMetadata(fields: [string, string][]): Element {
  return x('qtimetadata', fields.map(([label, entry]) => x('qtimetadatafield', [x('fieldlabel', label), x('fieldentry', entry)])));
}

export function material(html: string): Element {
  return x('material', [x('mattext', { texttype: 'text/html' }, html)]);
}

function item(ident: string, title: string, fields: [string, string][], children: (Element | null)[]): Element {
  return x('item', { ident, title }, [x('itemmetadata', [qtiMetadata(fields)]), ...children]);
}

function itemFields(profile: string, points: number): [string, string][] {
  return [['cc_profile', profile], ['cc_weighting', String(points)]];
}

/** Each choice's ident and HTML. */
function choiceLabels(type: QuestionType | Poll['type'], list: Choice[], content: ItemContent): [string, string][] {
  return list.map((choice, i) => [choiceIdent(type, choice), content.choices[i]]);
}

function choices(multiple: boolean, labels: [string, string][]): Element {
  return x('response_lid', { ident: RESPONSE_ID, rcardinality: multiple ? 'Multiple' : 'Single' }, [
    x('render_choice', { shuffle: 'No' }, labels.map(([ident, html]) => x('response_label', { ident }, [material(html)]))),
  ]);
}

/** A one-line text answer: fill-in and essay alike. */
function textResponse(): Element {
  return x('response_str', { ident: RESPONSE_ID, rcardinality: 'Single' }, [
    x('render_fib', [x('response_label', { ident: 'answer' })]),
  ]);
}

/** What scores: any accepted fill-in answer; all the right choices and none of the others; the one right choice. */
function correctAnswer(question: Question): Element[] {
  const equals = (value: string, matchCase?: 'Yes' | 'No') => x('varequal', { respident: RESPONSE_ID, case: matchCase }, value);
  if (question.type === 'fill-in') return question.correct.map((answer) => equals(answer, 'No'));
  if (question.type === 'multiple') {
    return [x('and', question.choices.map((choice) => {
      const chosen = equals(choiceIdent(question.type, choice), 'Yes');
      return question.correct.includes(choice.id) ? chosen : x('not', [chosen]);
    }))];
  }
  const right = question.choices.find((choice) => choice.id === question.correct[0])!;
  return [equals(choiceIdent(question.type, right))];
}

function resprocessing(conditions: (Element | null)[]): Element {
  return x('resprocessing', [
    x('outcomes', [x('decvar', { varname: 'SCORE', vartype: 'Decimal', minvalue: '0', maxvalue: '100' })]),
    ...conditions,
  ]);
}

/** The condition that shows the general feedback whatever the answer. */
function showGeneralFeedback(): Element {
  return x('respcondition', { continue: 'Yes' }, [
    x('conditionvar', [x('other')]),
    x('displayfeedback', { feedbacktype: 'Response', linkrefid: GENERAL_FEEDBACK }),
  ]);
}

function generalFeedback(html: string): Element {
  return x('itemfeedback', { ident: GENERAL_FEEDBACK }, [x('flow_mat', [material(html)])]);
}
