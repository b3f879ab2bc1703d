/**
 * Moving between pages: the contents (with its toggle on narrow screens), prev/next, and the
 * location hash, so the browser's Back and Forward move between pages too.
 */
import type { RuntimeCourse } from '../../model.ts';
import { $ } from './dom.ts';

/** Marks the current and the visited pages in the contents. */
export function markContents(currentId: string, visited: string[]): void {
  document.querySelectorAll<HTMLElement>('#cp-toc a[data-page]').forEach((a) => {
    const id = a.dataset.page || '';
    if (id === currentId) {
      a.setAttribute('aria-current', 'page');
      revealInContents(a);
    } else a.removeAttribute('aria-current');
    a.toggleAttribute('data-visited', visited.includes(id));
  });
}

/** Scrolls the contents (not the page) so the current entry is in view. */
function revealInContents(a: HTMLElement): void {
  const toc = a.closest<HTMLElement>('#cp-toc');
  if (!toc || a.offsetParent !== toc) return; // hidden, or the contents do not scroll
  if (a.offsetTop < toc.scrollTop || a.offsetTop + a.offsetHeight > toc.scrollTop + toc.clientHeight) {
    toc.scrollTop = a.offsetTop - toc.clientHeight / 3;
  }
}

/** The page id in the location hash ('' when none or malformed). */
export function hashId(): string {
  try {
    return decodeURIComponent(location.hash.slice(1));
  } catch {
    return '';
  }
}

export interface Navigation {
  go(id: string): void;
  /** The page to open first: the hash, the state's bookmark, the LMS bookmark, or the first page. */
  firstPage(...bookmarks: string[]): string | undefined;
}

/**
 * Wires the contents, prev/next and the hash. `show` puts a page on screen; `currentId` is the
 * page on show.
 */
export function createNavigation(course: RuntimeCourse, show: (id: string) => void, currentId: () => string | undefined): Navigation {
  const pages = course.pages;
  const known = (id: string): boolean => pages.some((p) => p.id === id);
  function go(id: string): void {
    if (hashId() === id) show(id);
    else location.hash = id;
  }
  const step = (by: number): void => {
    const i = pages.findIndex((p) => p.id === currentId());
    const target = i < 0 ? undefined : pages[i + by];
    if (target) go(target.id);
  };

  const toc = $('#cp-toc');
  const toggle = $('#cp-toc-toggle');
  const setContentsOpen = (open: boolean): void => {
    toggle?.setAttribute('aria-expanded', String(open));
    toc?.classList.toggle('cp-open', open);
  };
  toggle?.addEventListener('click', () => setContentsOpen(toggle.getAttribute('aria-expanded') !== 'true'));
  toc?.addEventListener('click', (e) => {
    const a = (e.target as Element).closest<HTMLElement>('a[data-page]');
    if (!a) return;
    e.preventDefault();
    setContentsOpen(false);
    go(a.dataset.page || '');
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && toggle?.getAttribute('aria-expanded') === 'true') {
      setContentsOpen(false);
      toggle.focus();
    }
  });
  $('#cp-prev')?.addEventListener('click', () => step(-1));
  $('#cp-next')?.addEventListener('click', () => step(1));
  addEventListener('hashchange', () => {
    const id = hashId();
    if (known(id) && id !== currentId()) show(id);
  });

  return {
    go,
    firstPage(...bookmarks) {
      const first = [hashId(), ...bookmarks].find(known) || pages[0]?.id;
      if (first) {
        try {
          history.replaceState(null, '', '#' + first);
        } catch {
          /* sandboxed frame: the hash just stays as it was */
        }
      }
      return first;
    },
  };
}
