/**
 * The player: plays the course in the shell (docs/runtime.md) and reports through one LmsAdapter.
 * This file only wires the parts together: the session (session/) owns the learner state and
 * talks to the LMS; the UI controllers (ui/) render pages and pass the learner's actions on.
 */
import type { RuntimeCourse } from '../model.ts';
import type { LmsAdapter } from './adapters/types.ts';
import { notices } from './notices.ts';
import { startSession } from './session/session.ts';
import { strings } from './strings.ts';
import { $ } from './ui/dom.ts';
import { createNavigation } from './ui/navigation.ts';
import { createPages } from './ui/pages.ts';
import { listenForPreview } from './ui/preview.ts';
import { showProgress } from './ui/progress.ts';
import { createQuestions } from './ui/questions.ts';
import { createQuizView } from './ui/quiz.ts';
import { createResponses } from './ui/responses.ts';

export { mergeStates } from './session/learner.ts';

export async function startPlayer(adapter: LmsAdapter, course: RuntimeCourse = (self as any).COURSEPACK): Promise<void> {
  const article = $('#cp-page');
  if (!course || !article) return;
  const t = strings(course.strings);
  const session = await startSession({
    adapter,
    course,
    t,
    notify: notices($('#cp-notice')),
    // Called only once the page runs, after `responses` exists.
    downloadAnswers: () => responses.exportAll(),
    onOutcome: (outcome) => showProgress(outcome, t),
  });
  const responses = createResponses(course, session, t);
  const questions = createQuestions(course, session, t);
  const quiz = createQuizView(article, session, questions, t);
  const pages = createPages(course, article, session, t, (page) => {
    article.querySelectorAll<HTMLElement>('[data-interaction]').forEach(questions.restore);
    if (page.quiz && $('.cp-quiz', article)) quiz.setup(page);
  });
  const navigation = createNavigation(course, (id) => void pages.show(id), () => pages.current()?.id);
  listenForPreview(pages);

  // Buttons in the page: one listener, dispatched by `data-action`.
  article.addEventListener('click', (e) => {
    const button = (e.target as Element).closest<HTMLElement>('button[data-action]');
    const page = pages.current();
    if (!button || !page) return;
    const section = button.closest<HTMLElement>('[data-interaction]');
    const action = button.dataset.action;
    if ((action === 'check' || action === 'submit-poll') && section) questions.check(section);
    else if (action === 'submit-quiz') quiz.submit(page);
    else if (action === 'retry-quiz') quiz.retry(page);
    else if (action === 'export-markdown') responses.exportFrom(page, 'markdown');
    else if (action === 'export-html') responses.exportFrom(page, 'html');
    else if (action === 'print') print();
    else if (action === 'copy-prompt') void responses.copyPrompt(button);
  });
  const onEdit = (e: Event): void => {
    if (pages.current()) questions.handleEdit(e);
  };
  article.addEventListener('input', onEdit);
  article.addEventListener('change', onEdit);

  // Save when the page may be going away; a page hide ends the LMS session (nothing after it).
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') session.hide();
  });
  addEventListener('pagehide', () => {
    // Text still being typed has not had its `change` event: it is reported before the session ends.
    const open = Array.from(article.querySelectorAll<HTMLTextAreaElement>('[data-interaction] textarea'), (area) => [
      area.closest<HTMLElement>('[data-interaction]')?.dataset.interaction || '',
      area.value,
    ]) as [string, string][];
    session.leave(open);
  });

  session.publishOutcome();
  const first = navigation.firstPage(session.state.bookmark, session.info.bookmark);
  if (first) await pages.show(first);
}
