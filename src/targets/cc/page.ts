/**
 * A page of the cartridge: the page body as the site renders it, as a document of its own with the
 * theme's stylesheet and no script. What needs our runtime goes: questions and polls move to their
 * assessment (a note says where), a workbook task keeps its text with a pointer to the essay that
 * collects the answer, and a prompt card keeps its text and its link to the assistant but loses
 * its "copy" button.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { h } from 'hastscript';
import { toHtml } from 'hast-util-to-html';
import type { Course, Interaction } from '../../model.ts';
import { rewriteLinks, type LinkTargets } from './links.ts';
import { CSS_PATH, fromPage } from './layout.ts';
import { copyTree, firstWithClass, isInteractionBlock } from './html.ts';
import type { AssessmentPlan, PagePlan } from './plan.ts';
import type { Say } from './strings.ts';

export interface RenderedPage {
  html: string;
  /** Site paths (`assets/…`) of the assets the page shows or links. */
  assets: Set<string>;
}

export function renderPage(plan: PagePlan, course: Course, links: LinkTargets, say: Say): RenderedPage {
  const { page } = plan;
  const tree = copyTree(plan.tree);
  const assessmentOf = new Map<string, AssessmentPlan>();
  for (const a of plan.assessments) for (const i of a.interactions) assessmentOf.set(i.id, a);
  replaceBlocks(tree, assessmentOf, say);
  dropScriptControls(tree);
  const assets = rewriteLinks(tree, links);
  const module = course.modules.find((m) => m.id === page.moduleId);
  const header = h('header.cp-page-header', [
    module ? h('p.cp-page-module', module.title) : null,
    h('h1', page.title),
    page.duration ? h('p.cp-page-duration', say('page.duration', { duration: page.duration })) : null,
  ].filter((e): e is Element => e !== null));
  const document: Root = {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: course.language }, [
        h('head', [
          h('meta', { charSet: 'utf-8' }),
          h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
          h('title', page.title),
          h('link', { rel: 'stylesheet', href: fromPage(CSS_PATH) }),
        ]),
        // The shell's classes, so the theme lays the page out as in the other packages.
        h('body.cp', [h('main.cp-main.cp-page', [header, h('div.cp-content', tree.children as ElementContent[])])]),
      ]),
    ],
  };
  return { html: `${toHtml(document)}\n`, assets };
}

/** Replaces every interaction block, at any depth, by what stands in its place on the page. */
function replaceBlocks(parent: Root | Element, assessmentOf: Map<string, AssessmentPlan>, say: Say, noted = new Set<string>()): void {
  const children: RootContent[] = [];
  for (const child of parent.children) {
    if (child.type !== 'element' || !isInteractionBlock(child)) {
      if (child.type === 'element') replaceBlocks(child, assessmentOf, say, noted);
      children.push(child);
      continue;
    }
    const assessment = assessmentOf.get(String(child.properties.dataInteraction))!;
    const interaction = assessment.interactions.find((i) => i.id === child.properties.dataInteraction) as Interaction;
    if (interaction.kind === 'response' && assessment.group === 'answers') {
      children.push(h('div.cp-response', [
        ...[firstWithClass(child, 'cp-prompt')].filter((e) => e !== null),
        h('p.cp-cc-note', say('cc.writeIn', { title: assessment.title })),
      ]));
    } else if (!noted.has(assessment.ident)) {
      noted.add(assessment.ident);
      children.push(h('div.cp-callout.cp-callout-note', { role: 'note' }, [h('p', say('cc.movedTo', { title: assessment.title }))]));
    }
  }
  parent.children = children as typeof parent.children;
}

/** Buttons only work with the runtime; an action bar left empty goes with them. */
function dropScriptControls(parent: Root | Element): void {
  parent.children = parent.children.filter((child) => {
    if (child.type !== 'element') return true;
    if (child.tagName === 'button') return false;
    dropScriptControls(child);
    const classes = child.properties.className;
    return !(Array.isArray(classes) && classes.includes('cp-actions') && child.children.length === 0);
  }) as typeof parent.children;
}
