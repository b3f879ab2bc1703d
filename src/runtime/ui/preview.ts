/**
 * The bridge to `coursepack preview`: the author saved this course's pages, so the player shows
 * the new version of the current page in place. Only the same-origin parent may ask, and all it
 * can ask for is a fresh copy of our own page.
 */
import type { Pages } from './pages.ts';

export function listenForPreview(pages: Pages): void {
  addEventListener('message', (e) => {
    const current = pages.current();
    if (e.origin !== location.origin || e.source !== parent || e.data?.coursepack !== 'reload-page' || !current) return;
    const y = scrollY;
    pages.forget();
    void pages.show(current.id).then(() => scrollTo(0, y));
  });
}
