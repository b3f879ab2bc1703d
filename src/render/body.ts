/**
 * Renders a page body of the model: Markdown tree → HTML tree (our blocks as accessible form controls) →
 * sanitised → HTML text. Sanitising runs last, over our own markup too, as a second line of
 * defence: the package runs inside the LMS's web origin.
 */
import type { Root, RootContent, ListItem, Paragraph } from 'mdast';
import type { Element, ElementContent, Root as HastRoot } from 'hast';
import { defaultHandlers, toHast, type State } from 'mdast-util-to-hast';
import { sanitize, defaultSchema, type Schema } from 'hast-util-sanitize';
import { toHtml } from 'hast-util-to-html';
import { h } from 'hastscript';
import type { Assistant } from '../model.ts';
import type { Block, BlockNode, PageBody } from '../blocks.ts';
import { format, type Strings } from '../strings.ts';

export interface BodyOptions {
  assistant: Assistant;
  strings: Strings;
}

/** A page body as HTML: the sanitised tree of renderBodyTree, as text. */
export function renderBody(body: PageBody, options: BodyOptions): string {
  return bodyHtml(renderBodyTree(body, options));
}

/** The HTML of a tree made by renderBodyTree. */
export const bodyHtml = (tree: HastRoot): string => toHtml(tree, { allowDangerousHtml: false });

/** The element ids of a block's markup are listed in blocks.ts (blockElementIds). */
export function renderBodyTree(body: PageBody, options: BodyOptions): HastRoot {
  const hast = toHast(body, {
    handlers: {
      block: (state, node: BlockNode) => renderBlock(node.block, state, options),
      // Directives the compiler did not lower were reported; they render as nothing.
      containerDirective: () => undefined,
      // A wide table scrolls sideways on a phone: its box takes keyboard focus so it can be scrolled.
      table: (state, node) => h('div.cp-table', { role: 'region', tabIndex: 0, ariaLabel: options.strings['table.label'] },
        [defaultHandlers.table(state, node)]),
      // Unknown leaf directives were reported; they render as nothing.
      leafDirective: () => undefined,
      link: (state, node) => opensOutside(defaultHandlers.link(state, node), options.strings),
      // `[text][name]`: a link once its definition is found (otherwise the text as written).
      linkReference: (state, node) => {
        const result = defaultHandlers.linkReference(state, node);
        return !Array.isArray(result) && result.type === 'element' ? opensOutside(result, options.strings) : result;
      },
    },
  }) as HastRoot;
  return sanitize(hast, schema) as HastRoot;
}

/** A link out of the course opens in a new tab, and says so: inside the LMS it would replace the course. */
function opensOutside(element: Element, strings: Strings): Element {
  const href = element.properties.href;
  if (element.tagName === 'a' && typeof href === 'string' && /^(https?:|mailto:)/i.test(href)) {
    Object.assign(element.properties, { target: '_blank', rel: ['noopener', 'noreferrer'] });
    element.children.push(h('span.cp-visually-hidden', ` ${strings['link.newTab']}`));
  }
  return element;
}

function all(state: State, nodes: RootContent[]): ElementContent[] {
  return state.all({ type: 'root', children: nodes } as Root) as ElementContent[];
}

/** A choice's content: one paragraph renders inline, anything else as blocks. */
function choiceContent(state: State, item: ListItem): ElementContent[] {
  const kids = item.children as RootContent[];
  if (kids.length === 1 && kids[0].type === 'paragraph') return state.all(kids[0] as Paragraph) as ElementContent[];
  return all(state, kids);
}

function choices(state: State, id: string, items: ListItem[], multiple: boolean): Element {
  return h('fieldset.cp-choices', { ariaLabelledBy: `cp-${id}-prompt` },
    items.map((item, i) =>
      h('label.cp-choice', [
        h('input', { type: multiple ? 'checkbox' : 'radio', name: `cp-${id}`, value: String.fromCharCode(97 + i) }),
        ' ',
        h('span', choiceContent(state, item)),
      ])));
}

function prompt(state: State, id: string, nodes: RootContent[]): Element {
  return h('div.cp-prompt', { id: `cp-${id}-prompt` }, all(state, nodes));
}

function button(action: string, label: string, hidden = false): Element {
  return h('button.cp-button', { type: 'button', dataAction: action, hidden }, label);
}

function renderBlock(block: Block, state: State, options: BodyOptions): Element {
  const s = options.strings;
  switch (block.kind) {
    case 'question': {
      const { id, type } = block.interaction;
      const input = type === 'fill-in'
        ? h('input.cp-fill', { type: 'text', id: `cp-${id}-input`, ariaLabelledBy: `cp-${id}-prompt`, autoComplete: 'off' })
        : choices(state, id, block.choices, type === 'multiple');
      const feedback = h('div.cp-feedback', { id: `cp-${id}-feedback`, ariaLive: 'polite' }, [
        h('p.cp-verdict'),
        ...(block.feedback ? [h('div.cp-explanation', { hidden: true }, all(state, block.feedback))] : []),
      ]);
      return h('section.cp-question', { id: `cp-${id}`, dataInteraction: id, dataType: type }, [
        prompt(state, id, block.prompt),
        input,
        ...(block.onQuiz ? [] : [h('div.cp-actions', [button('check', s['question.check'])])]),
        feedback,
      ]);
    }
    case 'poll': {
      const { id, type } = block.interaction;
      return h('section.cp-poll', { id: `cp-${id}`, dataInteraction: id, dataType: type }, [
        prompt(state, id, block.prompt),
        choices(state, id, block.choices, type === 'multiple'),
        h('div.cp-actions', [button('submit-poll', s['poll.submit'])]),
        h('div.cp-feedback', { id: `cp-${id}-feedback`, ariaLive: 'polite' }, [h('p.cp-verdict')]),
      ]);
    }
    case 'response': {
      const { id } = block.interaction;
      return h('section.cp-response', { id: `cp-${id}`, dataInteraction: id }, [
        prompt(state, id, block.prompt),
        h('textarea.cp-textarea', {
          id: `cp-${id}-input`, rows: block.rows, ariaLabelledBy: `cp-${id}-prompt`, ariaDescribedBy: `cp-${id}-status`,
        }),
        h('p.cp-save-status', { id: `cp-${id}-status`, ariaLive: 'polite' }),
      ]);
    }
    case 'prompt': {
      const assistant = options.assistant;
      const label = format(s['prompt.label'], { assistant: assistant.name });
      const action = assistant.url
        ? h('a.cp-button', { href: assistant.url.replace('{prompt}', encodeURIComponent(block.text)), target: '_blank', rel: ['noopener', 'noreferrer'] }, [
            format(s['prompt.ask'], { assistant: assistant.name }),
            h('span.cp-visually-hidden', ` ${s['link.newTab']}`),
          ])
        : button('copy-prompt', s['prompt.copy']);
      return h('div.cp-prompt-card', { role: 'note', ariaLabel: label }, [
        h('p.cp-prompt-card-label', label),
        h('blockquote.cp-prompt-text', all(state, block.body)),
        h('div.cp-actions', [action]),
      ]);
    }
    case 'callout': {
      const title = block.label ? all(state, block.label) : [s[`callout.${block.callout}`]];
      return h(`div.cp-callout.cp-callout-${block.callout}`, { role: 'note' }, [
        h('p.cp-callout-title', title),
        ...all(state, block.body),
      ]);
    }
  }
}

/**
 * GitHub's sanitising schema, plus the controls and attributes of our own blocks. GitHub pins
 * `className` to a few values on some elements; our classes are allowed everywhere instead.
 */
const githubAttributes = Object.fromEntries(
  Object.entries(defaultSchema.attributes ?? {}).map(([tag, list]) => [
    tag,
    list.filter((entry) => !(Array.isArray(entry) && entry[0] === 'className')),
  ]),
);

const schema: Schema = {
  ...defaultSchema,
  clobber: [],
  clobberPrefix: '',
  tagNames: [...(defaultSchema.tagNames ?? []), 'section', 'fieldset', 'label', 'textarea', 'button'],
  attributes: {
    ...githubAttributes,
    '*': [
      ...(githubAttributes['*'] ?? []),
      'className', 'id', 'hidden', 'role', 'ariaLabel', 'ariaLabelledBy', 'ariaDescribedBy', 'ariaLive', 'tabIndex',
      'dataInteraction', 'dataType',
    ],
    a: [...(githubAttributes.a ?? []), 'target', 'rel'],
    input: [['type', 'radio', 'checkbox', 'text'], 'name', 'value', 'autoComplete', 'disabled', 'checked'],
    textarea: ['rows'],
    button: [['type', 'button'], 'dataAction'],
  },
  required: {},
};
