/**
 * What an LMS should hold for an answer, worked out from the course model alone (not from the
 * runtime's code): the kind of value, the values in plain form, the result and the correct
 * patterns. Compare with `decodeValue` of the stored interaction (cmi.ts).
 */
import type { Interaction } from '../../../src/model.ts';
import { truthOf } from './learner.ts';
import type { StoredInteraction } from './cmi.ts';

export type ValueKind = 'choice' | 'true-false' | 'text';

export function valueKind(it: Interaction): ValueKind {
  if (it.kind === 'response') return 'text';
  if (it.kind === 'question' && it.type === 'fill-in') return 'text';
  if (it.kind === 'question' && it.type === 'true-false') return 'true-false';
  return 'choice';
}

/** The answer in plain form: sorted choice ids, `true`/`false`, or the text. */
export function plainValues(it: Interaction, values: string[]): string[] {
  const kind = valueKind(it);
  if (kind === 'text') return [values[0] ?? ''];
  if (kind === 'true-false' && it.kind === 'question') return values.map((v) => String(truthOf(it, v)));
  return [...values].sort();
}

const norm = (s: string): string => s.trim().toLowerCase();

/** correct / incorrect for questions (by the model's answers), neutral for polls and free text. */
export function expectedResult(it: Interaction, values: string[]): 'correct' | 'incorrect' | 'neutral' {
  if (it.kind !== 'question') return 'neutral';
  if (it.type === 'fill-in') return it.correct.some((c) => norm(c) === norm(values[0] ?? '')) ? 'correct' : 'incorrect';
  const right = values.length === it.correct.length && it.correct.every((c) => values.includes(c));
  return right ? 'correct' : 'incorrect';
}

/** The correct-response patterns in plain form; [] when the interaction has no right answer. */
export function expectedPatterns(it: Interaction): string[][] {
  if (it.kind !== 'question') return [];
  if (it.type === 'fill-in') return it.correct.map((c) => [c]);
  return [plainValues(it, it.correct)];
}

/** The data-model `type` a standard should record for this interaction. */
export function expectedType(standard: 'scorm12' | 'scorm2004', it: Interaction): RegExp {
  if (it.kind === 'response') return standard === 'scorm12' ? /^fill-in$/ : /^(long-)?fill-in$/;
  if (it.kind === 'poll') return it.type === 'likert' ? /^likert$/ : /^choice$/;
  if (it.type === 'true-false') return /^true-false$/;
  if (it.type === 'fill-in') return /^fill-in$/;
  return /^choice$/;
}

export interface AnswerGiven {
  id: string;
  values: string[];
  /** How it was given; free-text responses use 'response'. */
  how: string;
}

export interface Paired {
  given: AnswerGiven;
  record: StoredInteraction;
}

/**
 * Pairs each answer with the LMS interaction records of its id, in order. Choice and fill-in
 * answers must have exactly one record each; free-text responses are returned apart (an LMS may
 * hold one record per edit). Ids the course does not know, and missing or extra records, are
 * returned as problems.
 */
export function pairAnswers(
  answers: AnswerGiven[],
  records: StoredInteraction[],
  known: (id: string) => Interaction | undefined,
): { pairs: Paired[]; texts: Map<string, StoredInteraction[]>; problems: string[] } {
  const problems: string[] = [];
  const pairs: Paired[] = [];
  const texts = new Map<string, StoredInteraction[]>();
  for (const r of records) if (!known(r.id)) problems.push(`cmi.interactions.${r.n}: id ${JSON.stringify(r.id)} is no interaction of the course`);
  const ids = [...new Set(answers.map((a) => a.id))];
  for (const id of ids) {
    const mine = records.filter((r) => r.id === id);
    const given = answers.filter((a) => a.id === id);
    if (known(id)?.kind === 'response') {
      texts.set(id, mine);
      continue;
    }
    if (mine.length !== given.length) {
      problems.push(`${id}: ${given.length} answer(s) given (${given.map((g) => g.how).join(', ')}), ${mine.length} interaction record(s) in the LMS (${mine.map((r) => 'n=' + r.n).join(', ') || 'none'})`);
    }
    given.forEach((g, i) => {
      if (mine[i]) pairs.push({ given: g, record: mine[i] });
    });
  }
  for (const r of records) {
    if (known(r.id) && !ids.includes(r.id)) problems.push(`cmi.interactions.${r.n}: ${r.id} was recorded but never answered`);
  }
  return { pairs, texts, problems };
}
