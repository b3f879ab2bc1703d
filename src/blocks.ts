/**
 * The page body of the model: the page's Markdown tree (mdast) in which each interactive block
 * (question, poll, response, prompt, callout) stands as one `block` node, already checked and
 * lowered by the compiler. Below both the compiler, which builds it, and the renderer, which turns
 * it into HTML; plain data, so compiled pages can be cached as JSON.
 */
import type { Definition, FootnoteDefinition, ListItem, Root, RootContent } from 'mdast';
import type { Node } from 'unist';
import type { Poll, Question, Response } from './model.ts';

export const CALLOUT_KINDS = ['note', 'tip', 'warning', 'ethics'] as const;
export type CalloutKind = (typeof CALLOUT_KINDS)[number];

/** Markdown content inside a block; nested blocks inside it are `block` nodes too. */
type Content = RootContent[];

export type Block =
  | { kind: 'question'; interaction: Question; prompt: Content; choices: ListItem[]; feedback: Content | null; onQuiz: boolean }
  | { kind: 'poll'; interaction: Poll; prompt: Content; choices: ListItem[] }
  | { kind: 'response'; interaction: Response; prompt: Content; rows: number }
  | { kind: 'prompt'; text: string; body: Content }
  | { kind: 'callout'; callout: CalloutKind; label: Content | null; body: Content };

/** One interactive block in the page tree. */
export interface BlockNode extends Node {
  type: 'block';
  block: Block;
  /**
   * The link and footnote definitions inside the block, in document order: they hold for the whole
   * page, and the renderer looks them up from the tree's children. Rendered nowhere themselves.
   */
  children: (Definition | FootnoteDefinition)[];
}

declare module 'mdast' {
  interface RootContentMap {
    block: BlockNode;
  }
}

/** The page body: an mdast root whose interactive blocks are `BlockNode`s. */
export type PageBody = Root;

/** Every element id a block's markup uses (see render/body.ts): they must be unique in the page. */
export function blockElementIds(id: string): string[] {
  return [`cp-${id}`, `cp-${id}-prompt`, `cp-${id}-input`, `cp-${id}-feedback`, `cp-${id}-status`];
}
