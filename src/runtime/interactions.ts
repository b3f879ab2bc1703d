/** Answers in the page (read, restore, judge) and their neutral LMS record. */
import type { Question, RuntimeInteraction } from '../model.ts';
import type { InteractionRecord } from './adapters/types.ts';

const norm = (s: string): string => s.trim().toLowerCase();

/** Selected choice ids, or the fill-in text; [] when nothing is answered. */
export function readAnswer(section: Element): string[] {
  const fill = section.querySelector<HTMLInputElement>('.cp-fill');
  if (fill) return fill.value.trim() ? [fill.value] : [];
  return Array.from(section.querySelectorAll<HTMLInputElement>('input:checked'), (i) => i.value);
}

export function writeAnswer(section: Element, values: string[] = []): void {
  section.querySelectorAll<HTMLInputElement>('input').forEach((input) => {
    if (input.classList.contains('cp-fill')) input.value = values[0] || '';
    else input.checked = values.includes(input.value);
  });
}

/** Fill-in: any accepted answer, trimmed, case-insensitive. Choices: exactly the correct set. */
export function isCorrect(q: Omit<Question, 'source'>, values: string[]): boolean {
  if (q.type === 'fill-in') return values.length > 0 && q.correct.some((c) => norm(c) === norm(values[0]));
  return values.length === q.correct.length && q.correct.every((c) => values.includes(c));
}

/** A true-false choice id as `true`/`false`: by its text when it says so, else True is listed first. */
function truth(q: Omit<Question, 'source'>, id: string): string {
  const i = q.choices.findIndex((c) => c.id === id);
  const text = norm(q.choices[i]?.text || '');
  return text === 'true' || text === 'false' ? text : i === 0 ? 'true' : 'false';
}

export function toRecord(
  it: RuntimeInteraction,
  response: string[],
  result: InteractionRecord['result'],
  weighting: number,
  latencyMs: number,
): InteractionRecord {
  let type: InteractionRecord['type'] = 'choice';
  let correct: string[][] = [];
  if (it.kind === 'response') type = 'long-fill-in';
  else if (it.kind === 'poll') type = it.type === 'likert' ? 'likert' : 'choice';
  else if (it.type === 'fill-in') {
    type = 'fill-in';
    correct = it.correct.filter((c) => c.trim()).map((c) => [c]);
  } else if (it.type === 'true-false') {
    type = 'true-false';
    response = response.map((id) => truth(it, id));
    correct = [it.correct.map((id) => truth(it, id))];
  } else correct = [it.correct];
  return { id: it.id, type, description: it.prompt, response, correct, result, weighting, latencyMs, at: Date.now(), pageId: it.pageId };
}
