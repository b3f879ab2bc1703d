/**
 * Pages: fetches the fragments, mounts one in `#cp-page`, and keeps the shell in step — title,
 * contents entry, prev/next buttons and focus.
 */
import type { RuntimeCourse, RuntimePage } from '../../model.ts';
import type { Session } from '../session/session.ts';
import type { Strings } from '../strings.ts';
import { $ } from './dom.ts';
import { markContents } from './navigation.ts';

export interface Pages {
  /** The page on show (undefined before the first). */
  current(): RuntimePage | undefined;
  show(id: string): Promise<void>;
  /** Drops the fetched fragments (the preview saved new ones). */
  forget(): void;
}

export function createPages(
  course: RuntimeCourse,
  article: HTMLElement,
  session: Session,
  t: Strings,
  mounted: (page: RuntimePage) => void,
): Pages {
  const byId = new Map(course.pages.map((p) => [p.id, p]));
  const fragments = new Map<string, Promise<string>>();
  const fragment = (page: RuntimePage): Promise<string> => {
    let html = fragments.get(page.id);
    if (!html) {
      html = fetch(page.href).then((r) => (r.ok ? r.text() : Promise.reject(r.status)));
      html.catch(() => fragments.delete(page.id));
      fragments.set(page.id, html);
    }
    return html;
  };

  let current: RuntimePage | undefined;
  /** Counts page requests, so a slow page never replaces the one the learner moved on to. */
  let request = 0;
  let first = true;

  function mount(page: RuntimePage, html: string | null): void {
    if (html === null) {
      const p = document.createElement('p');
      p.textContent = t('loadFailed');
      article.textContent = '';
      article.append(p);
      return;
    }
    // The build's own sanitised fragment; learner text only ever goes in through value/textContent.
    article.innerHTML = html;
    mounted(page);
  }

  async function show(id: string): Promise<void> {
    const page = byId.get(id);
    if (!page) return;
    const mine = ++request;
    article.setAttribute('aria-busy', 'true');
    let html: string | null = null;
    try {
      html = await fragment(page);
    } catch {
      /* shown as a failed page */
    }
    if (mine !== request) return; // the learner moved on while this page loaded
    session.flushTexts();
    current = page;
    mount(page, html);
    if (html !== null) session.visit(id);
    article.setAttribute('aria-busy', 'false');
    document.title = `${page.title} – ${course.title}`;
    markContents(id, session.state.visited);
    const i = course.pages.indexOf(page);
    const prev = $<HTMLButtonElement>('#cp-prev');
    const next = $<HTMLButtonElement>('#cp-next');
    if (prev) prev.disabled = i <= 0;
    if (next) next.disabled = i >= course.pages.length - 1;
    session.checkpoint();
    // Focus follows the page change (not on first load, where the browser starts at the top).
    if (!first) $<HTMLElement>('h1', article)?.focus();
    first = false;
  }

  return { current: () => current, show, forget: () => fragments.clear() };
}
