/**
 * Lowers the interactive directives of one page (question, poll, response, prompt, callout) to
 * model interactions, checking each as it goes. The blocks, by the directive they come from, then
 * take the directives' places in the page body (see body.ts), so the mdast is walked and validated once.
 */
import type { Nodes, Root, RootContent, List, Paragraph, Node } from 'mdast';
import type { ContainerDirective, LeafDirective } from 'mdast-util-directive';
import { toString } from 'mdast-util-to-string';
import { SKIP, walk } from '../walk.ts';
import { holdsInlineOnly } from './tree.ts';
import {
  POLL_TYPES, QUESTION_TYPES,
  type Choice, type Interaction, type PageType, type Poll, type PollType, type Question, type QuestionType,
  type Response,
} from '../model.ts';
import type { Diagnostics } from '../diagnostics.ts';
import { CALLOUT_KINDS, type Block, type CalloutKind } from '../blocks.ts';

export type BlockMap = Map<Node, Block>;

const KNOWN = ['question', 'poll', 'response', 'prompt', 'callout', 'feedback'];
const ID = /^[A-Za-z][A-Za-z0-9_-]*$/;
const PROMPT_LIMIT = 250;

interface Context {
  file: string;
  pageId: string;
  pageType: PageType;
  source: string;
  diagnostics: Diagnostics;
}

export function lowerBlocks(tree: Root, ctx: Context): { blocks: BlockMap; interactions: Interaction[]; prompts: string[] } {
  const blocks: BlockMap = new Map();
  const interactions: Interaction[] = [];
  const prompts: string[] = [];

  walk<Nodes>(tree, (node) => {
    if (node.type === 'paragraph' && /^:{3,}\s*$/.test(toString(node))) {
      ctx.diagnostics.error('stray-fence', ctx.file, node.position?.start, 'A `:::` line closes nothing',
        'A block that contains another block needs one more colon on its outer fence: `::::question` … `::::`.');
      return SKIP;
    }
    if (holdsInlineOnly(node)) return SKIP;
    if (node.type !== 'containerDirective' && node.type !== 'leafDirective') return;
    const directive = node as ContainerDirective | LeafDirective;
    if (!KNOWN.includes(directive.name)) {
      ctx.diagnostics.error('unknown-directive', ctx.file, directive.position?.start,
        `Unknown block \`${directive.name}\``, `Known blocks: ${KNOWN.filter((k) => k !== 'feedback').join(', ')}.`);
      return SKIP;
    }
    if (directive.type === 'leafDirective') {
      ctx.diagnostics.error('leaf-directive', ctx.file, directive.position?.start,
        `\`::${directive.name}\` needs a body`, `Write it as a block: \`:::${directive.name}\` on its own line, its content, then \`:::\`.`);
      return SKIP;
    }
    const block = lower(directive as ContainerDirective, ctx);
    if (block) {
      blocks.set(directive, block);
      if ('interaction' in block) interactions.push(block.interaction);
      if (block.kind === 'prompt') prompts.push(block.text);
    }
    // Blocks inside a question (its feedback) are handled by the question itself.
    return directive.name === 'callout' ? undefined : SKIP;
  });
  return { blocks, interactions, prompts };
}

function lower(node: ContainerDirective, ctx: Context): Block | null {
  switch (node.name) {
    case 'question': return lowerQuestion(node, ctx);
    case 'poll': return lowerPoll(node, ctx);
    case 'response': return lowerResponse(node, ctx);
    case 'prompt': return lowerPrompt(node, ctx);
    case 'callout': return lowerCallout(node, ctx);
    default:
      ctx.diagnostics.error('misplaced-feedback', ctx.file, node.position?.start, '`:::feedback` stands outside a question',
        'Put it inside the question it explains, and give the question four colons: `::::question` … `::::`.');
      return null;
  }
}

/** Reports unknown attributes; returns the attributes without the label marker. */
function attributes(node: ContainerDirective, allowed: string[], ctx: Context): Record<string, string> {
  const attrs = (node.attributes ?? {}) as Record<string, string>;
  for (const name of Object.keys(attrs)) {
    if (!allowed.includes(name)) {
      ctx.diagnostics.error('unknown-attribute', ctx.file, node.position?.start,
        `Unknown attribute \`${name}\` on \`${node.name}\``, `Allowed: ${allowed.map((a) => (a === 'id' ? '#id' : a)).join(', ')}.`);
    }
  }
  return attrs;
}

function requireId(node: ContainerDirective, attrs: Record<string, string>, ctx: Context): string | null {
  const id = attrs.id;
  if (!id) {
    ctx.diagnostics.error('missing-id', ctx.file, node.position?.start, `\`${node.name}\` needs an id`,
      `Add a stable id, e.g. \`:::${node.name}{#${ctx.pageId}-1}\`: the LMS stores answers against it.`);
    return null;
  }
  if (!ID.test(id)) {
    ctx.diagnostics.error('invalid-id', ctx.file, node.position?.start, `Invalid id \`${id}\``,
      'Use letters, digits, - and _, starting with a letter.');
    return null;
  }
  return id;
}

function place(node: Node, ctx: Context) {
  return { file: ctx.file, line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 };
}

/** Splits a block body into its prompt, its first list and its nested blocks. */
function split(node: ContainerDirective) {
  const prompt: RootContent[] = [];
  let list: List | null = null;
  const nested: ContainerDirective[] = [];
  for (const child of node.children as RootContent[]) {
    if (child.type === 'containerDirective') nested.push(child);
    else if (child.type === 'list' && !list) list = child;
    else if (!(child.type === 'paragraph' && (child as Paragraph).data?.directiveLabel)) prompt.push(child);
  }
  return { prompt, list, nested };
}

/** Text of a tree, with a space between blocks (list items, paragraphs) that toString would glue. */
function plainText(node: RootContent): string {
  if ('children' in node && node.type !== 'paragraph' && node.type !== 'heading') {
    return (node.children as RootContent[]).map(plainText).join(' ');
  }
  return toString(node);
}

function plainPrompt(nodes: RootContent[]): string {
  const text = nodes.map(plainText).join(' ').replace(/\s+/g, ' ').trim();
  return text.length > PROMPT_LIMIT ? `${text.slice(0, PROMPT_LIMIT - 1)}…` : text;
}

function choicesOf(list: List): Choice[] {
  return list.children.map((item, i) => ({ id: String.fromCharCode(97 + i), text: toString(item).trim() }));
}

function lowerQuestion(node: ContainerDirective, ctx: Context): Block | null {
  const attrs = attributes(node, ['id', 'type'], ctx);
  const id = requireId(node, attrs, ctx);
  const type = (attrs.type ?? 'single') as QuestionType;
  if (!QUESTION_TYPES.includes(type)) {
    ctx.diagnostics.error('invalid-question-type', ctx.file, node.position?.start, `Unknown question type \`${attrs.type}\``,
      `Use one of: ${QUESTION_TYPES.join(', ')}.`);
    return null;
  }
  const { prompt, list, nested } = split(node);
  let feedback: RootContent[] | null = null;
  for (const child of nested) {
    if (child.name === 'feedback' && !feedback) feedback = child.children as RootContent[];
    else ctx.diagnostics.error('unexpected-block', ctx.file, child.position?.start,
      `\`${child.name}\` cannot stand inside a question`, 'A question holds its text, a task list of choices and one `:::feedback`.');
  }
  if (prompt.length === 0) {
    ctx.diagnostics.error('empty-question', ctx.file, node.position?.start, 'The question has no text',
      'Write the question as a paragraph before its choices.');
  }
  if (!list || list.children.some((item) => item.checked === null || item.checked === undefined)) {
    ctx.diagnostics.error('question-choices', ctx.file, (list ?? node).position?.start,
      type === 'fill-in' ? 'A fill-in question needs its accepted answers as a task list' : 'The choices must be a task list',
      type === 'fill-in' ? 'List each accepted answer as `- [x] answer`.' : 'Mark each choice `- [ ] wrong` or `- [x] right`.');
    return null;
  }
  const items = list.children;
  const correctIdx = items.flatMap((item, i) => (item.checked ? [i] : []));
  const at = list.position?.start ?? node.position?.start;
  const fail = (message: string, hint: string, rule = 'question-answers') => {
    ctx.diagnostics.error(rule, ctx.file, at, message, hint);
    return null;
  };
  if (correctIdx.length === 0) {
    return fail(`Question \`${id ?? '?'}\` has no correct answer`, 'Mark the right choice with `[x]`: `- [x] The right answer`.', 'no-correct-answer');
  }
  if (type === 'fill-in') {
    if (correctIdx.length !== items.length) return fail('Every item of a fill-in question is an accepted answer', 'Mark every item `[x]`.');
  } else {
    if (items.length < 2) return fail('A question needs at least two choices', 'Add the wrong answers as `- [ ] …`.');
    if (items.length > 26) return fail('A question can have at most 26 choices', 'Split it into two questions.');
    if (type === 'single' && correctIdx.length > 1) return fail('A single-choice question has more than one `[x]`', 'Keep one `[x]`, or write `type=multiple`.');
    if (type === 'true-false') {
      const labels = items.map((item) => toString(item).trim().toLowerCase());
      if (items.length !== 2 || !labels.includes('true') || !labels.includes('false') || correctIdx.length !== 1) {
        return fail('A true-false question lists exactly `True` and `False`, one of them `[x]`', 'Write `- [x] True` and `- [ ] False`.');
      }
    }
  }
  if (!id) return null;
  const choices = type === 'fill-in' ? [] : choicesOf(list);
  const correct = type === 'fill-in' ? items.map((item) => toString(item).trim()) : correctIdx.map((i) => choices[i].id);
  const interaction: Question = {
    kind: 'question', id, pageId: ctx.pageId, type, prompt: plainPrompt(prompt), choices, correct, source: place(node, ctx),
  };
  return { kind: 'question', interaction, prompt, choices: type === 'fill-in' ? [] : items, feedback, onQuiz: ctx.pageType === 'quiz' };
}

function lowerPoll(node: ContainerDirective, ctx: Context): Block | null {
  const attrs = attributes(node, ['id', 'type'], ctx);
  const id = requireId(node, attrs, ctx);
  const type = (attrs.type ?? 'single') as PollType;
  if (!POLL_TYPES.includes(type)) {
    ctx.diagnostics.error('invalid-poll-type', ctx.file, node.position?.start, `Unknown poll type \`${attrs.type}\``, `Use one of: ${POLL_TYPES.join(', ')}.`);
    return null;
  }
  const { prompt, list } = split(node);
  if (!list || list.children.length < 2) {
    ctx.diagnostics.error('poll-choices', ctx.file, node.position?.start, 'A poll needs a list of at least two options',
      'List the options after the question: `- Option one`.');
    return null;
  }
  if (!id) return null;
  const interaction: Poll = { kind: 'poll', id, pageId: ctx.pageId, type, prompt: plainPrompt(prompt), choices: choicesOf(list), source: place(node, ctx) };
  return { kind: 'poll', interaction, prompt, choices: list.children };
}

function lowerResponse(node: ContainerDirective, ctx: Context): Block | null {
  const attrs = attributes(node, ['id', 'rows'], ctx);
  const id = requireId(node, attrs, ctx);
  const rows = attrs.rows === undefined ? 6 : Number(attrs.rows);
  if (!Number.isInteger(rows) || rows < 2 || rows > 40) {
    ctx.diagnostics.error('invalid-rows', ctx.file, node.position?.start, '`rows` must be a whole number from 2 to 40', 'For example `rows=8`.');
  }
  // Everything in a response block is its prompt, lists included.
  const prompt = (node.children as RootContent[]).filter((c) => c.type !== 'containerDirective');
  if (prompt.length === 0) {
    ctx.diagnostics.error('empty-response', ctx.file, node.position?.start, 'The response block has no prompt', 'Tell the learner what to write.');
  }
  if (!id) return null;
  const interaction: Response = { kind: 'response', id, pageId: ctx.pageId, prompt: plainPrompt(prompt), source: place(node, ctx) };
  return { kind: 'response', interaction, prompt, rows: Number.isInteger(rows) ? rows : 6 };
}

function lowerPrompt(node: ContainerDirective, ctx: Context): Block | null {
  attributes(node, [], ctx);
  const body = node.children as RootContent[];
  const text = body.map((n) => toString(n)).join('\n\n').trim();
  if (!text) {
    ctx.diagnostics.error('empty-prompt', ctx.file, node.position?.start, 'The prompt is empty', 'Write the suggested question inside the block.');
    return null;
  }
  return { kind: 'prompt', text, body };
}

function lowerCallout(node: ContainerDirective, ctx: Context): Block | null {
  const attrs = attributes(node, ['kind'], ctx);
  const callout = (attrs.kind ?? 'note') as CalloutKind;
  if (!CALLOUT_KINDS.includes(callout)) {
    ctx.diagnostics.error('invalid-callout-kind', ctx.file, node.position?.start, `Unknown callout kind \`${attrs.kind}\``, `Use one of: ${CALLOUT_KINDS.join(', ')}.`);
  }
  const children = node.children as RootContent[];
  const first = children[0] as Paragraph | undefined;
  const hasLabel = first?.type === 'paragraph' && first.data?.directiveLabel;
  return {
    kind: 'callout',
    callout: CALLOUT_KINDS.includes(callout) ? callout : 'note',
    label: hasLabel ? (first.children as RootContent[]) : null,
    body: hasLabel ? children.slice(1) : children,
  };
}

