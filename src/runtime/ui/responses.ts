/**
 * What the learner takes away: their answers as Markdown or a print-ready page (the workbook's
 * export toolbar), and a prompt card's text on the clipboard.
 */
import type { RuntimeCourse, RuntimePage } from '../../model.ts';
import { download, toHtml, toMarkdown, type AnswerDoc } from '../export.ts';
import type { Session } from '../session/session.ts';
import type { Strings } from '../strings.ts';
import { $ } from './dom.ts';

export interface Responses {
  /** The export buttons of a workbook page. */
  exportFrom(page: RuntimePage, format: 'markdown' | 'html'): void;
  /** Every page's answers as Markdown (offered when texts did not fit in the LMS). */
  exportAll(): void;
  copyPrompt(button: HTMLElement): Promise<void>;
}

export function createResponses(course: RuntimeCourse, session: Session, t: Strings): Responses {
  /** The capstone exports the whole plan: it holds a required response, or is the last workbook. */
  function exportScope(page: RuntimePage): RuntimePage[] {
    const workbooks = course.pages.filter((p) => p.type === 'workbook');
    const capstone =
      page === workbooks[workbooks.length - 1] || page.interactionIds.some((id) => course.completion.responses.includes(id));
    return capstone ? course.pages : [page];
  }

  function answersOf(list: RuntimePage[]): AnswerDoc {
    const { texts, answers } = session.state;
    const doc: AnswerDoc = {
      title: `${course.title}: ${t('answersTitle')}`,
      byline: [session.info.learnerName, new Date().toISOString().slice(0, 10)].filter(Boolean).join(' · '),
      language: course.language,
      empty: t('noAnswer'),
      sections: [],
    };
    for (const p of list) {
      const items = [];
      for (const id of p.interactionIds) {
        const it = course.interactions[id];
        if (it?.kind === 'response') items.push({ prompt: it.prompt, answer: texts[id] || '' });
        else if (it?.kind === 'poll')
          items.push({
            prompt: it.prompt,
            answer: (answers[id] || []).map((c) => it.choices.find((x) => x.id === c)?.text || c).join('; '),
          });
      }
      if (items.length) doc.sections.push({ title: p.title, items });
    }
    return doc;
  }

  function exportAnswers(list: RuntimePage[], format: 'markdown' | 'html'): void {
    session.flushTexts();
    const doc = answersOf(list);
    const name = list.length === 1 ? list[0].id : 'my-answers';
    if (format === 'html') download(name + '.html', 'text/html;charset=utf-8', toHtml(doc));
    else download(name + '.md', 'text/markdown;charset=utf-8', toMarkdown(doc));
  }

  async function copyPrompt(button: HTMLElement): Promise<void> {
    const card = button.closest('.cp-prompt-card') || document;
    const text = ($('.cp-prompt-text', card)?.textContent || '').trim();
    const copied = await copyText(text, button);
    let live = $('.cp-copy-status', card);
    if (!live) {
      live = document.createElement('span');
      live.className = 'cp-copy-status';
      live.setAttribute('role', 'status');
      button.after(live);
    }
    const status = live;
    status.textContent = '';
    // A beat later, so screen readers notice the change in a freshly added live region.
    setTimeout(() => (status.textContent = t(copied ? 'copied' : 'copyFailed')), 100);
  }

  return {
    exportFrom: (page, format) => exportAnswers(exportScope(page), format),
    exportAll: () => exportAnswers(course.pages, 'markdown'),
    copyPrompt,
  };
}

/** Puts text on the clipboard; without the clipboard API (insecure context, iframe policy) the old way. */
async function copyText(text: string, focusAfter: HTMLElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'cp-visually-hidden';
    document.body.append(area);
    area.select();
    let copied = false;
    try {
      copied = document.execCommand('copy');
    } catch {
      /* reported by the caller */
    }
    area.remove();
    focusAfter.focus();
    return copied;
  }
}
