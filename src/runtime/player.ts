/**
 * The player: plays the course in the shell (docs/runtime.md) and reports through one LmsAdapter.
 * It owns the learner state; the adapter only carries it to the LMS.
 */
import type { RuntimeCourse, RuntimeInteraction, RuntimePage } from '../model.ts';
import type { LmsAdapter } from './adapters/types.ts';
import { decodeState, encodeForLimit, encodeState, type LearnerState, type QuizState } from './state.ts';
import { courseOutcome } from './status.ts';
import { load, store } from './storage.ts';
import { strings } from './strings.ts';
import { notices } from './notices.ts';
import { attemptsLeft, drawQuestions, percent } from './quiz.ts';
import { isCorrect, readAnswer, toRecord, writeAnswer } from './interactions.ts';
import { download, toHtml, toMarkdown, type AnswerDoc } from './export.ts';

/**
 * The state to resume from. The LMS copy wins, except when this device holds a newer one (the LMS
 * missed our last writes). An empty LMS copy means a new attempt: the device copy is then ignored.
 * Texts the LMS could not hold (listed as elsewhere) come back from the device copy.
 */
export function mergeStates(lms: LearnerState, device: LearnerState | null): LearnerState {
  if (!device) return lms;
  if (lms.updated && device.updated > lms.updated) return device;
  for (const id of lms.elsewhere) if (device.texts[id]) lms.texts[id] = device.texts[id];
  lms.elsewhere = lms.elsewhere.filter((id) => !(id in lms.texts));
  return lms;
}

export async function startPlayer(adapter: LmsAdapter, course: RuntimeCourse = (self as any).COURSEPACK): Promise<void> {
  const $ = <T extends Element = HTMLElement>(sel: string, root: ParentNode = document): T | null =>
    root.querySelector<T>(sel);
  const root = $('#cp-page');
  if (!course || !root) return;
  const article: HTMLElement = root;
  const t = strings(course.strings);
  const notice = notices($('#cp-notice'));
  const pages = course.pages;
  const byId = new Map(pages.map((p) => [p.id, p]));
  const interaction = (id: string): RuntimeInteraction | undefined => course.interactions[id];

  adapter.onStatus((s) => notice('lms', s.ok ? null : t('lmsError')));
  const info = await adapter.start(course);
  const readOnly = info.mode !== 'normal';
  // The device copy: a safety net for lost LMS writes and the home of texts over the LMS limit.
  const deviceKey = info.storage === 'lms' ? `cp:${course.id}:${info.learnerId}` : '';
  const state = mergeStates(decodeState(info.state), deviceKey ? decodeState(load(deviceKey)) : null);
  if (readOnly) notice('mode', t('review'));
  if (info.storage === 'browser') notice('local', t('local'));
  if (state.elsewhere.length) notice('elsewhere', t('elsewhere'));

  // ---- saving -------------------------------------------------------------------------------
  let changed = false;
  const touch = (): void => {
    changed = true;
    state.updated = Date.now();
  };

  /** Sends the state if it changed; commits when asked (page change, answer, leaving). */
  function save(commit: boolean): void {
    if (changed && !readOnly) {
      changed = false;
      const fit = encodeForLimit(state, adapter.limits.stateChars);
      if (fit.value !== null) adapter.saveState(state.bookmark, fit.value);
      const over = fit.value === null || fit.overflow.length > 0;
      const kept = !deviceKey || store(deviceKey, over ? encodeState(state) : fit.value);
      // Never a silent loss: say what did not fit and offer the learner their text.
      notice('overflow', over ? t(kept ? 'overflow' : 'overflowLost') : null, {
        label: t('download'),
        run: () => exportAnswers(pages, false),
      });
      notice('elsewhere', state.elsewhere.length ? t('elsewhere') : null);
    }
    if (commit) adapter.commit();
  }

  let reported = '';
  function report(): void {
    const o = courseOutcome(course, state);
    const key = JSON.stringify(o);
    if (key !== reported) {
      reported = key;
      if (o.score !== null) adapter.setScore(o.score, 0, 100, o.passed);
      adapter.setProgress(o.measure, o.completed);
    }
    const pct = Math.round(o.measure * 100);
    const bar = $<HTMLProgressElement>('#cp-progress');
    if (bar) {
      bar.max = 100;
      bar.value = pct;
    }
    const label = $('#cp-progress-label');
    if (label) label.textContent = t('progress', { percent: pct });
  }

  // ---- free text: saved as the learner types --------------------------------------------------
  const pending = new Map<string, () => void>();
  const recorded = new Map<string, string>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  function flushTexts(): void {
    clearTimeout(timer);
    if (!pending.size) return;
    pending.forEach((run) => run());
    pending.clear();
    report();
    save(false);
  }

  function typed(section: HTMLElement, id: string, value: string): void {
    const status = $('.cp-save-status', section);
    if (status) status.textContent = '';
    pending.set(id, () => {
      if (value) state.texts[id] = value;
      else delete state.texts[id];
      state.elsewhere = state.elsewhere.filter((x) => x !== id);
      touch();
      if (status) status.textContent = t('saved');
    });
    clearTimeout(timer);
    timer = setTimeout(flushTexts, 500);
  }

  // ---- answers --------------------------------------------------------------------------------
  let shownAt = Date.now();
  const record = (it: RuntimeInteraction, values: string[], result: 'correct' | 'incorrect' | 'neutral', weight: number): void =>
    adapter.recordInteraction(toRecord(it, values, result, weight, Date.now() - shownAt));

  /** Shows (values) or clears (null) the verdict and feedback of a question or poll. */
  function verdict(section: HTMLElement, it: RuntimeInteraction | undefined, values: string[] | null): void {
    const p = $('.cp-verdict', section);
    const explanation = $('.cp-explanation', section);
    section.classList.remove('cp-correct', 'cp-incorrect');
    let text = '';
    if (values && it?.kind === 'question') {
      const ok = isCorrect(it, values);
      section.classList.add(ok ? 'cp-correct' : 'cp-incorrect');
      text = t(ok ? 'correct' : 'incorrect');
    } else if (values) text = t('pollThanks');
    if (p) p.textContent = text;
    if (explanation) explanation.hidden = !values;
  }

  /** "Check answer" on a knowledge check, "Submit" on a poll. */
  function answer(section: HTMLElement): void {
    const id = section.dataset.interaction || '';
    const it = interaction(id);
    if (!it) return;
    const values = readAnswer(section);
    if (!values.length) {
      const p = $('.cp-verdict', section);
      if (p) p.textContent = t('chooseFirst');
      return;
    }
    state.answers[id] = values;
    if (!state.checked.includes(id)) state.checked.push(id);
    touch();
    verdict(section, it, values);
    record(it, values, it.kind === 'question' ? (isCorrect(it, values) ? 'correct' : 'incorrect') : 'neutral', 0);
    save(true);
  }

  /** Records a free-text answer as an interaction, once per distinct text. */
  function journalText(el: HTMLTextAreaElement | HTMLInputElement, id: string): void {
    const it = interaction(id);
    if (it && el.value.trim() && recorded.get(id) !== el.value) {
      recorded.set(id, el.value);
      record(it, [el.value], 'neutral', 0);
    }
  }

  function edited(e: Event): void {
    const el = e.target as HTMLInputElement;
    const section = el.closest<HTMLElement>('[data-interaction]');
    if (!section || !current) return;
    const id = section.dataset.interaction || '';
    if (el.tagName === 'TEXTAREA') {
      if (e.type === 'input') return typed(section, id, el.value);
      // change: the learner left the field; journal the text once per distinct value.
      flushTexts();
      journalText(el, id);
      return save(true);
    }
    if (e.type !== 'change') return;
    state.answers[id] = readAnswer(section);
    // A changed answer makes the shown verdict stale.
    if (state.checked.includes(id)) {
      state.checked = state.checked.filter((x) => x !== id);
      verdict(section, interaction(id), null);
    }
    touch();
    save(false);
  }

  // ---- quizzes --------------------------------------------------------------------------------
  const section = (id: string): HTMLElement | undefined =>
    Array.from(article.querySelectorAll<HTMLElement>('[data-interaction]')).find((s) => s.dataset.interaction === id);

  /** The quiz's state; draws a new attempt when there is none (or the pool changed since). */
  function quizOf(page: RuntimePage): QuizState {
    const pool = page.interactionIds.filter((id) => interaction(id)?.kind === 'question');
    const z = (state.quizzes[page.id] ||= { attempts: 0, best: null, last: null, passed: false, order: [], submitted: false });
    if (!z.order.length || z.order.some((id) => !pool.includes(id))) {
      z.order = drawQuestions(pool, page.quiz!);
      z.submitted = false;
      touch();
    }
    return z;
  }

  /** Shows the attempt's questions in its order; the others stay in the page, hidden. */
  function setupQuiz(page: RuntimePage): void {
    const z = quizOf(page);
    const all = Array.from(article.querySelectorAll<HTMLElement>('.cp-question'));
    const ids = all.map((s) => s.dataset.interaction || '');
    const seq = z.order.filter((id) => ids.includes(id)).concat(ids.filter((id) => !z.order.includes(id)));
    const slots = all.map((s) => {
      const slot = document.createComment('');
      s.replaceWith(slot);
      return slot;
    });
    slots.forEach((slot, i) => {
      const s = all[ids.indexOf(seq[i])];
      s.hidden = !z.order.includes(seq[i]);
      slot.replaceWith(s);
    });
    showQuiz(page, z);
  }

  function showQuiz(page: RuntimePage, z: QuizState): void {
    const q = page.quiz!;
    const left = attemptsLeft(q, z.attempts);
    for (const id of z.order) {
      const s = section(id);
      if (!s) continue;
      s.querySelectorAll('input').forEach((i) => (i.disabled = z.submitted));
      verdict(s, interaction(id), z.submitted ? state.answers[id] || [] : null);
    }
    const submit = $<HTMLButtonElement>('[data-action="submit-quiz"]', article);
    const retry = $<HTMLButtonElement>('[data-action="retry-quiz"]', article);
    if (submit) submit.hidden = z.submitted;
    if (retry) retry.hidden = !(z.submitted && !z.passed && left > 0);
    const result = $('.cp-quiz-result', article);
    if (result)
      result.textContent = z.submitted
        ? t((z.last ?? 0) >= q.passMark ? 'quizPassed' : 'quizFailed', { score: z.last ?? 0, pass: q.passMark }) +
          (left === Infinity ? '' : ' ' + (left ? t('attemptsLeft', { n: left }) : t('noAttemptsLeft', { best: z.best ?? 0 })))
        : '';
  }

  function submitQuiz(page: RuntimePage): void {
    const q = page.quiz;
    if (!q) return;
    const z = quizOf(page);
    if (z.submitted || !attemptsLeft(q, z.attempts)) return;
    const given = z.order.map((id) => {
      const s = section(id);
      return s ? readAnswer(s) : [];
    });
    const result = $<HTMLElement>('.cp-quiz-result', article);
    const missing = given.filter((v) => !v.length).length;
    if (missing) {
      if (result) result.textContent = t('unanswered', { n: missing });
      return;
    }
    let right = 0;
    z.order.forEach((id, i) => {
      const it = interaction(id);
      if (it?.kind !== 'question') return;
      state.answers[id] = given[i];
      const ok = isCorrect(it, given[i]);
      if (ok) right++;
      record(it, given[i], ok ? 'correct' : 'incorrect', 1);
    });
    const score = percent(right, z.order.length);
    z.attempts++;
    z.last = score;
    z.best = Math.max(z.best ?? 0, score);
    z.passed ||= score >= q.passMark;
    z.submitted = true;
    touch();
    showQuiz(page, z);
    report();
    save(true);
    // The submit button just disappeared: keep focus where the result is announced.
    if (result) {
      result.tabIndex = -1;
      result.focus();
    }
  }

  function retryQuiz(page: RuntimePage): void {
    const z = quizOf(page);
    if (!z.submitted || z.passed || !attemptsLeft(page.quiz!, z.attempts)) return;
    for (const id of page.interactionIds) {
      delete state.answers[id];
      const s = section(id);
      if (s) writeAnswer(s, []);
    }
    z.order = [];
    shownAt = Date.now();
    setupQuiz(page);
    save(false);
    $<HTMLElement>('.cp-question:not([hidden]) input', article)?.focus();
  }

  // ---- workbook export, copy prompt ----------------------------------------------------------
  /** The capstone exports the whole plan: it holds a required response, or is the last workbook. */
  function exportScope(page: RuntimePage): RuntimePage[] {
    const workbooks = pages.filter((p) => p.type === 'workbook');
    const capstone =
      page === workbooks[workbooks.length - 1] || page.interactionIds.some((id) => course.completion.responses.includes(id));
    return capstone ? pages : [page];
  }

  function exportAnswers(list: RuntimePage[], html: boolean): void {
    flushTexts();
    const doc: AnswerDoc = {
      title: `${course.title}: ${t('answersTitle')}`,
      byline: [info.learnerName, new Date().toISOString().slice(0, 10)].filter(Boolean).join(' · '),
      language: course.language,
      empty: t('noAnswer'),
      sections: [],
    };
    for (const p of list) {
      const items = [];
      for (const id of p.interactionIds) {
        const it = interaction(id);
        if (it?.kind === 'response') items.push({ prompt: it.prompt, answer: state.texts[id] || '' });
        else if (it?.kind === 'poll')
          items.push({
            prompt: it.prompt,
            answer: (state.answers[id] || []).map((c) => it.choices.find((x) => x.id === c)?.text || c).join('; '),
          });
      }
      if (items.length) doc.sections.push({ title: p.title, items });
    }
    const name = list.length === 1 ? list[0].id : 'my-answers';
    if (html) download(name + '.html', 'text/html;charset=utf-8', toHtml(doc));
    else download(name + '.md', 'text/markdown;charset=utf-8', toMarkdown(doc));
  }

  async function copyPrompt(button: HTMLElement): Promise<void> {
    const card = button.closest('.cp-prompt-card') || article;
    const text = ($('.cp-prompt-text', card)?.textContent || '').trim();
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch {
      // No clipboard API here (insecure context, iframe policy): the old way.
      const area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.className = 'cp-visually-hidden';
      document.body.append(area);
      area.select();
      try {
        ok = document.execCommand('copy');
      } catch {
        /* reported below */
      }
      area.remove();
      button.focus();
    }
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
    setTimeout(() => (status.textContent = t(ok ? 'copied' : 'copyFailed')), 100);
  }

  // ---- pages ----------------------------------------------------------------------------------
  const fragments = new Map<string, Promise<string>>();
  const fragment = (page: RuntimePage): Promise<string> => {
    let f = fragments.get(page.id);
    if (!f) {
      f = fetch(page.href).then((r) => (r.ok ? r.text() : Promise.reject(r.status)));
      f.catch(() => fragments.delete(page.id));
      fragments.set(page.id, f);
    }
    return f;
  };

  let current: RuntimePage | undefined;
  let ticket = 0;
  let initial = true;

  function mount(page: RuntimePage, html: string): void {
    // The build's own sanitised fragment; learner text only ever goes in through value/textContent.
    article.innerHTML = html;
    shownAt = Date.now();
    article.querySelectorAll<HTMLElement>('[data-interaction]').forEach((s) => {
      const id = s.dataset.interaction || '';
      const area = $<HTMLTextAreaElement>('textarea', s);
      if (area) {
        area.value = state.texts[id] || '';
        // Restored text was journaled when it was written; only a change is news for the LMS.
        if (area.value && !recorded.has(id)) recorded.set(id, area.value);
      } else {
        writeAnswer(s, state.answers[id]);
        if (state.checked.includes(id)) verdict(s, interaction(id), state.answers[id] || []);
      }
    });
    if (page.quiz && $('.cp-quiz', article)) setupQuiz(page);
  }

  /** Scrolls the contents (not the page) so the current entry is in view. */
  function revealInToc(a: HTMLElement): void {
    const toc = a.closest<HTMLElement>('#cp-toc');
    if (!toc || a.offsetParent !== toc) return; // hidden, or the contents do not scroll
    if (a.offsetTop < toc.scrollTop || a.offsetTop + a.offsetHeight > toc.scrollTop + toc.clientHeight) {
      toc.scrollTop = a.offsetTop - toc.clientHeight / 3;
    }
  }

  async function show(id: string): Promise<void> {
    const page = byId.get(id);
    if (!page) return;
    const mine = ++ticket;
    article.setAttribute('aria-busy', 'true');
    let html: string | null = null;
    try {
      html = await fragment(page);
    } catch {
      /* shown below */
    }
    if (mine !== ticket) return; // the learner moved on while this page loaded
    flushTexts();
    current = page;
    if (html === null) {
      const p = document.createElement('p');
      p.textContent = t('loadFailed');
      article.textContent = '';
      article.append(p);
    } else {
      mount(page, html);
      if (!state.visited.includes(id)) state.visited.push(id);
      state.bookmark = id;
      touch();
    }
    article.setAttribute('aria-busy', 'false');
    document.title = `${page.title} – ${course.title}`;
    document.querySelectorAll<HTMLElement>('#cp-toc a[data-page]').forEach((a) => {
      const pid = a.dataset.page || '';
      if (pid === id) {
        a.setAttribute('aria-current', 'page');
        revealInToc(a);
      } else a.removeAttribute('aria-current');
      a.toggleAttribute('data-visited', state.visited.includes(pid));
    });
    const i = pages.indexOf(page);
    const prev = $<HTMLButtonElement>('#cp-prev');
    const next = $<HTMLButtonElement>('#cp-next');
    if (prev) prev.disabled = i <= 0;
    if (next) next.disabled = i >= pages.length - 1;
    report();
    save(true);
    // Focus follows the page change (not on first load, where the browser starts at the top).
    if (!initial) $<HTMLElement>('h1', article)?.focus();
    initial = false;
  }

  const hashId = (): string => {
    try {
      return decodeURIComponent(location.hash.slice(1));
    } catch {
      return '';
    }
  };
  // Pages are addressed by hash, so the browser's Back and Forward move between them.
  function go(id: string): void {
    if (hashId() === id) void show(id);
    else location.hash = id;
  }
  const step = (d: number): void => {
    const p = current && pages[pages.indexOf(current) + d];
    if (p) go(p.id);
  };

  // ---- wiring ---------------------------------------------------------------------------------
  article.addEventListener('click', (e) => {
    const b = (e.target as Element).closest<HTMLElement>('button[data-action]');
    const page = current;
    if (!b || !page) return;
    const s = b.closest<HTMLElement>('[data-interaction]');
    const action = b.dataset.action;
    if ((action === 'check' || action === 'submit-poll') && s) answer(s);
    else if (action === 'submit-quiz') submitQuiz(page);
    else if (action === 'retry-quiz') retryQuiz(page);
    else if (action === 'export-markdown' || action === 'export-html') exportAnswers(exportScope(page), action === 'export-html');
    else if (action === 'print') print();
    else if (action === 'copy-prompt') void copyPrompt(b);
  });
  article.addEventListener('input', edited);
  article.addEventListener('change', edited);

  const toc = $('#cp-toc');
  const toggle = $('#cp-toc-toggle');
  const setToc = (open: boolean): void => {
    toggle?.setAttribute('aria-expanded', String(open));
    toc?.classList.toggle('cp-open', open);
  };
  toggle?.addEventListener('click', () => setToc(toggle.getAttribute('aria-expanded') !== 'true'));
  toc?.addEventListener('click', (e) => {
    const a = (e.target as Element).closest<HTMLElement>('a[data-page]');
    if (!a) return;
    e.preventDefault();
    setToc(false);
    go(a.dataset.page || '');
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && toggle?.getAttribute('aria-expanded') === 'true') {
      setToc(false);
      toggle.focus();
    }
  });
  $('#cp-prev')?.addEventListener('click', () => step(-1));
  $('#cp-next')?.addEventListener('click', () => step(1));
  // coursepack preview: the author saved this course's pages; show the new version in place.
  // Only the same-origin parent may ask, and all it can ask for is a fresh copy of our own page.
  addEventListener('message', (e) => {
    if (e.origin !== location.origin || e.source !== parent || e.data?.coursepack !== 'reload-page' || !current) return;
    const y = scrollY;
    fragments.clear();
    void show(current.id).then(() => scrollTo(0, y));
  });
  addEventListener('hashchange', () => {
    const id = hashId();
    if (byId.has(id) && id !== current?.id) void show(id);
  });

  // Save when the page may be going away; a page hide ends the LMS session (nothing after it).
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') {
      flushTexts();
      save(true);
    }
  });
  addEventListener('pagehide', () => {
    flushTexts();
    // Text still being typed has not had its `change` event: journal it before the session ends.
    for (const el of document.querySelectorAll<HTMLTextAreaElement>('#cp-page [data-interaction] textarea')) {
      journalText(el, el.closest<HTMLElement>('[data-interaction]')?.dataset.interaction || '');
    }
    save(false);
    // Always suspend, even when finished: a normal exit lets LMSs start a fresh attempt on the
    // next launch, and the learner would lose their workbook and capstone text.
    adapter.finish('suspend'); // commits what is pending, then ends
  });

  report();
  const valid = (id: string): string => (byId.has(id) ? id : '');
  const first = valid(hashId()) || valid(state.bookmark) || valid(info.bookmark) || pages[0]?.id;
  if (!first) return;
  try {
    history.replaceState(null, '', '#' + first);
  } catch {
    /* sandboxed frame: the hash just stays as it was */
  }
  await show(first);
}
