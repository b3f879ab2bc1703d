/**
 * What the LRS should hold for the learner's answers, worked out from the course model (never from
 * the runtime's code), as lists of problems (empty when fine) so a failure names every deviation
 * and the checks themselves can be tested on bad input (infrastructure.test.ts).
 *
 * xAPI formats (xAPI Data §2.4.4.1, interaction activities and "Response Pattern") share their
 * delimiters with SCORM 2004 (`[,]`, `{case_matters=…}`, `{lang=…}`), so the browser kit's
 * SCORM 2004 decoder reads them.
 */
import type { CompiledCourse, Interaction, Question } from '../../src/model.ts';
import { decodeValue, expectedPatterns, expectedResult, expectedType, plainValues, valueKind } from '../support/browser/index.ts';
import { sameAgent, type Agent, type Statement } from '../support/lrs/index.ts';

export const VERB = (name: string) => `http://adlnet.gov/expapi/verbs/${name}`;
export const verbName = (s: Statement) => s.verb.id.replace(/^.*\//, '');
export const INTERACTION_TYPE = 'http://adlnet.gov/expapi/activities/cmi.interaction';
/** ISO 8601 duration as xAPI takes it. */
export const DURATION = /^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/;
const UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]00:?00)$/;

export type { Answers, Given } from '../support/browser/index.ts';
import type { Answers } from '../support/browser/index.ts';

const json = (v: unknown) => JSON.stringify(v);
const same = (a: unknown, b: unknown) => json(a) === json(b);

/**
 * The `answered` statements of each interaction, found as a report would: by the definition's
 * description (the prompt), else by an activity id ending with the interaction id.
 */
export function matchAnswered(
  compiled: CompiledCourse,
  statements: Statement[],
  preferred: string[] = [],
): { byInteraction: Map<string, Statement[]>; unknown: Statement[] } {
  const prompts = new Map<string, Interaction[]>();
  for (const it of compiled.interactions.values()) prompts.set(it.prompt, [...(prompts.get(it.prompt) ?? []), it]);
  const byInteraction = new Map<string, Statement[]>();
  const unknown: Statement[] = [];
  for (const s of statements.filter((x) => x.verb.id === VERB('answered'))) {
    const desc = Object.values((s.object?.definition?.description ?? {}) as Record<string, string>);
    let candidates = desc.flatMap((d) => prompts.get(d) ?? []);
    if (!candidates.length) {
      const oid = String(s.object?.id ?? '');
      candidates = [...compiled.interactions.values()].filter((it) => oid.endsWith(`/${encodeURIComponent(it.id)}`) || oid.endsWith(`/${it.id}`));
    }
    const it = candidates.find((c) => preferred.includes(c.id)) ?? candidates[0];
    if (!it) unknown.push(s);
    else byInteraction.set(it.id, [...(byInteraction.get(it.id) ?? []), s]);
  }
  return { byInteraction, unknown };
}

/**
 * The `answered` statements of a registration (stored order) against the answers given: one per
 * choice/fill-in answer, paired in order (so attempts stored out of order show as wrong answers); free text at least once, the last one with a text the learner
 * left the field with; the interaction definition (type, interactionType, correctResponsesPattern,
 * choices/scale) and result (response, success by the model's answers, duration); one activity id
 * per interaction, the same every time and belonging to the course (`inCourse`).
 */
export function answeredProblems(
  compiled: CompiledCourse,
  statements: Statement[],
  answers: Answers,
  where: string,
  inCourse: (activityId: string) => boolean,
): string[] {
  const problems: string[] = [];
  const say = (p: string) => problems.push(`${where}: ${p}`);
  const order = [...answers.given.map((g) => g.id), ...Object.keys(answers.texts)];
  const { byInteraction, unknown } = matchAnswered(compiled, statements, order);
  for (const s of unknown) say(`answered ${s.id} (${s.object?.id}) is about no interaction of the course`);

  const idOf = new Map<string, string>();
  for (const [id, list] of byInteraction) {
    for (const s of list) {
      const known = idOf.get(id);
      if (known === undefined) idOf.set(id, s.object?.id);
      else if (s.object?.id !== known) say(`${id} answered as ${s.object?.id} and as ${known}`);
    }
  }
  const owners = new Map<string, string[]>();
  for (const [id, activityId] of idOf) owners.set(activityId, [...(owners.get(activityId) ?? []), id]);
  for (const [activityId, list] of owners) if (list.length > 1) say(`one activity id ${activityId} for ${list.join(', ')}`);
  for (const [id, activityId] of idOf) if (!inCourse(activityId)) say(`activity id ${activityId} of ${id} is not under the course`);

  for (const id of new Set(answers.given.map((g) => g.id))) {
    const it = compiled.interactions.get(id);
    if (!it) {
      say(`${id} is no interaction of the course`);
      continue;
    }
    const gs = answers.given.filter((g) => g.id === id);
    const ss = byInteraction.get(id) ?? [];
    if (ss.length !== gs.length) say(`${id}: ${gs.length} answer(s) given (${gs.map((g) => g.how).join(', ')}), ${ss.length} answered statement(s)`);
    gs.forEach((g, i) => {
      const s = ss[i];
      if (!s) return;
      const w = `answered ${id} (${g.how}) ${s.id}`;
      const def = s.object?.definition ?? {};
      const kind = valueKind(it);
      if (def.type !== INTERACTION_TYPE) say(`${w}: definition.type ${json(def.type)}`);
      if (!expectedType('scorm2004', it).test(String(def.interactionType))) say(`${w}: definition.interactionType ${json(def.interactionType)}`);
      const response = decodeValue('scorm2004', kind, String(s.result?.response ?? ''));
      if (!same(response, plainValues(it, g.values))) say(`${w}: result.response ${json(s.result?.response)}, the learner gave ${json(plainValues(it, g.values))}`);
      const patterns = ((def.correctResponsesPattern ?? []) as string[]).map((p) => decodeValue('scorm2004', kind, p));
      if (!same(patterns, expectedPatterns(it))) say(`${w}: correctResponsesPattern ${json(def.correctResponsesPattern)}, the model has ${json(expectedPatterns(it))}`);
      const result = expectedResult(it, g.values);
      const success = result === 'neutral' ? undefined : result === 'correct';
      if (s.result?.success !== success) say(`${w}: result.success ${json(s.result?.success)}, expected ${json(success)}`);
      const choiceLike = it.kind === 'poll' || (it.kind === 'question' && (it.type === 'single' || it.type === 'multiple'));
      if (choiceLike) {
        const list = ((def.interactionType === 'likert' ? def.scale : def.choices) ?? []) as { id: string }[];
        const want = (it as Question).choices.map((c) => c.id);
        if (!same(list.map((c) => c.id), want)) say(`${w}: definition.${def.interactionType === 'likert' ? 'scale' : 'choices'} ${json(list.map((c) => c.id))}, the model has ${json(want)}`);
      }
      if (s.result?.duration !== undefined && !DURATION.test(s.result.duration)) say(`${w}: result.duration ${json(s.result.duration)}`);
    });
  }
  for (const [id, text] of Object.entries(answers.texts)) {
    const ss = byInteraction.get(id) ?? [];
    if (!ss.length) {
      say(`${id}: no answered statement for the text`);
      continue;
    }
    const last = ss[ss.length - 1];
    const it = compiled.interactions.get(id)!;
    if (!expectedType('scorm2004', it).test(String(last.object?.definition?.interactionType))) say(`${id}: interactionType ${json(last.object?.definition?.interactionType)}`);
    const got = decodeValue('scorm2004', 'text', String(last.result?.response ?? ''))[0];
    const allowed = [...(answers.leftWith[id] ?? []), text];
    if (!allowed.includes(got)) say(`${id}: last response ${json(got)}, the learner wrote ${json(allowed)}`);
    if (last.result?.success !== undefined) say(`${id}: result.success on free text`);
  }
  for (const [id, ss] of byInteraction) if (!order.includes(id)) say(`${id} was recorded (${ss.length}×) but never answered`);
  return problems;
}

/**
 * The `experienced` statements against the pages the learner was shown, in order: one per page
 * shown, naming the page (definition.name = its title, an activity id under the course).
 */
export function experiencedProblems(compiled: CompiledCourse, statements: Statement[], shown: string[], where: string, inCourse: (id: string) => boolean): string[] {
  const problems: string[] = [];
  const experienced = statements.filter((s) => s.verb.id === VERB('experienced'));
  const titleOf = (id: string) => compiled.course.pages.find((p) => p.id === id)?.title ?? id;
  const named = experienced.map((s) => Object.values((s.object?.definition?.name ?? {}) as Record<string, string>)[0] ?? s.object?.id);
  const want = shown.map(titleOf);
  if (!same(named, want)) problems.push(`${where}: experienced ${json(named)}, the learner was shown ${json(want)}`);
  const idOf = new Map<string, string>();
  experienced.forEach((s, i) => {
    if (!inCourse(s.object?.id)) problems.push(`${where}: experienced ${s.object?.id} is not under the course`);
    const page = shown[i];
    if (page === undefined) return;
    const known = idOf.get(page);
    if (known === undefined) idOf.set(page, s.object?.id);
    else if (known !== s.object?.id) problems.push(`${where}: page ${page} experienced as ${s.object?.id} and as ${known}`);
  });
  if (new Set(idOf.values()).size !== idOf.size) problems.push(`${where}: pages share activity ids: ${json([...idOf])}`);
  return problems;
}

/** Actor, registration, UTC timestamps and unique ids of every statement of a registration. */
export function envelopeProblems(statements: Statement[], actor: Agent, registration: string, where: string, skip: (s: Statement) => boolean = () => false): string[] {
  const problems: string[] = [];
  const ids = statements.map((s) => s.id);
  if (new Set(ids).size !== ids.length) problems.push(`${where}: statement ids repeat`);
  for (const s of statements) {
    if (skip(s)) continue;
    const w = `${where}: ${verbName(s)} ${s.id}`;
    if (!sameAgent(s.actor as Agent, actor)) problems.push(`${w}: actor ${json(s.actor)} is not the launch actor`);
    if (s.context?.registration !== registration) problems.push(`${w}: context.registration ${json(s.context?.registration)}`);
    if (!UTC.test(s.timestamp ?? '')) problems.push(`${w}: timestamp ${json(s.timestamp)}`);
  }
  return problems;
}

/** A readable list of statements, for failure messages. */
export function listing(statements: Statement[]): string {
  return statements
    .map((s, i) => {
      const r = s.result ?? {};
      const bits = [
        r.response !== undefined ? `response=${JSON.stringify(r.response).slice(0, 40)}` : '',
        r.success !== undefined ? `success=${r.success}` : '',
        r.completion !== undefined ? `completion=${r.completion}` : '',
        r.score ? `score=${JSON.stringify(r.score)}` : '',
      ].filter(Boolean);
      return `${i} ${s.timestamp} ${verbName(s)} ${s.object?.id}${bits.length ? ' ' + bits.join(' ') : ''}`;
    })
    .join('\n');
}

/** Statements in stored order must also be in timestamp order (what was made first is stored first). */
export function outOfOrder(statements: Statement[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < statements.length; i++) {
    const a = Date.parse(statements[i - 1].timestamp ?? '');
    const b = Date.parse(statements[i].timestamp ?? '');
    if (b < a) out.push(`#${i} ${verbName(statements[i])} ${statements[i].timestamp} is stored after #${i - 1} ${verbName(statements[i - 1])} ${statements[i - 1].timestamp}`);
  }
  return out;
}
