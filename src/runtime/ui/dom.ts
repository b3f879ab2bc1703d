/** Small DOM helpers of the UI controllers. */
export const $ = <T extends Element = HTMLElement>(selector: string, root: ParentNode = document): T | null =>
  root.querySelector<T>(selector);

/** The interaction section an element belongs to, and its id. */
export function sectionOf(el: Element): { section: HTMLElement; id: string } | null {
  const section = el.closest<HTMLElement>('[data-interaction]');
  return section ? { section, id: section.dataset.interaction || '' } : null;
}

/** The section of interaction `id` in `root`. */
export const sectionById = (root: ParentNode, id: string): HTMLElement | undefined =>
  Array.from(root.querySelectorAll<HTMLElement>('[data-interaction]')).find((s) => s.dataset.interaction === id);
