import { describe, expect, it } from 'vitest';
import { attemptsLeft, drawQuestions, percent } from '../../src/runtime/quiz.ts';
import { isCorrect, toRecord } from '../../src/runtime/interactions.ts';
import { toHtml, toMarkdown, type AnswerDoc } from '../../src/runtime/export.ts';
import { mergeStates } from '../../src/runtime/player.ts';
import { freshState } from '../../src/runtime/state.ts';
import { strings } from '../../src/runtime/strings.ts';
import { reportText } from '../../src/runtime/adapters/scorm.ts';
import { makeCourse } from './fixtures.ts';
import type { Question } from '../../src/model.ts';

const course = makeCourse();
const q = (id: string) => course.interactions[id] as Omit<Question, 'source'>;

describe('quiz', () => {
  const pool = ['q1', 'q2', 'q3', 'q4', 'q5'];
  const seq = (...xs: number[]) => () => xs.shift() ?? 0;

  it('draws all questions in authored order without shuffle or draw', () => {
    expect(drawQuestions(pool, { passMark: 80, attempts: 0, shuffle: false, draw: null }, seq(0.9, 0.1, 0.5))).toEqual(pool);
  });
  it('draws a subset, kept in authored order when not shuffled', () => {
    const drawn = drawQuestions(pool, { passMark: 80, attempts: 0, shuffle: false, draw: 3 }, seq(0.1, 0.7, 0.3, 0.9));
    expect(drawn).toHaveLength(3);
    expect(drawn).toEqual(pool.filter((id) => drawn.includes(id)));
  });
  it('shuffles: a permutation, not always the same one', () => {
    const orders = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const d = drawQuestions(pool, { passMark: 80, attempts: 0, shuffle: true, draw: null });
      expect([...d].sort()).toEqual(pool);
      orders.add(d.join());
    }
    expect(orders.size).toBeGreaterThan(1);
  });
  it('scores a percentage with two decimals and counts attempts', () => {
    expect(percent(2, 3)).toBe(66.67);
    expect(percent(0, 0)).toBe(0);
    expect(attemptsLeft({ passMark: 80, attempts: 3, shuffle: false, draw: null }, 1)).toBe(2);
    expect(attemptsLeft({ passMark: 80, attempts: 3, shuffle: false, draw: null }, 5)).toBe(0);
    expect(attemptsLeft({ passMark: 80, attempts: 0, shuffle: false, draw: null }, 99)).toBe(Infinity);
  });
});

describe('judging and records', () => {
  it('judges choices as exact sets and fill-in trimmed and case-insensitive', () => {
    expect(isCorrect(q('ex-multi'), ['c', 'a'])).toBe(true);
    expect(isCorrect(q('ex-multi'), ['a'])).toBe(false);
    expect(isCorrect(q('ex-multi'), ['a', 'c', 'd'])).toBe(false);
    expect(isCorrect(q('ex-fill'), ['  strive  '])).toBe(true);
    expect(isCorrect(q('ex-fill'), ['Strive Framework'])).toBe(true);
    expect(isCorrect(q('ex-fill'), ['stride'])).toBe(false);
    expect(isCorrect(q('ex-fill'), [])).toBe(false);
  });
  it('maps true-false choices to true/false and keeps every fill-in answer as its own pattern', () => {
    expect(toRecord(q('ex-tf'), ['b'], 'incorrect', 1, 10)).toMatchObject({ type: 'true-false', response: ['false'], correct: [['true']] });
    expect(toRecord(q('ex-fill'), ['x'], 'incorrect', 1, 10)).toMatchObject({ type: 'fill-in', correct: [['STRIVE'], ['strive framework']] });
    expect(toRecord(course.interactions['poll-rate'], ['c'], 'neutral', 0, 10)).toMatchObject({ type: 'likert', correct: [] });
    expect(toRecord(course.interactions['wb-goal'], ['text'], 'neutral', 0, 10)).toMatchObject({ type: 'long-fill-in' });
  });
  it('makes report text one line, without a leading brace, cut visibly', () => {
    expect(reportText('  {a}\n\nb\r\nc  ', 100)).toBe('(a} / b / c');
    const cut = reportText('x'.repeat(300), 255);
    expect(cut).toHaveLength(255);
    expect(cut.endsWith('...')).toBe(true);
    expect(reportText('😀'.repeat(200), 255)).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no half emoji
  });
});

describe('exports', () => {
  const evil = '<script>alert(1)</script> <img src=x onerror=alert(2)> & "quotes" \'single\' [link](javascript:x) *bold* # heading';
  const doc: AnswerDoc = {
    title: 'Course: My answers',
    byline: 'Doe, Jane · 2024-05-01',
    language: 'en',
    empty: '(no answer yet)',
    sections: [{ title: 'Workbook <1>', items: [{ prompt: 'Prompt & <b>', answer: evil + '\n- list\n1. item\n===' }, { prompt: 'Empty', answer: ' ' }] }],
  };

  it('HTML: escapes every string, carries a no-script CSP, contains no script', () => {
    const html = toHtml(doc);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9!]+)/gi)].map((m) => m[1].toLowerCase()));
    expect([...tags].sort()).toEqual(['!doctype', 'body', 'div', 'em', 'h1', 'h2', 'h3', 'head', 'html', 'meta', 'p', 'section', 'style', 'title']);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('&#34;quotes&#34; &#39;single&#39;');
    expect(html).toContain('Workbook &#60;1&#62;');
    expect(html).toContain('<em>(no answer yet)</em>');
  });

  it('Markdown: learner text cannot become markup', () => {
    const md = toMarkdown(doc);
    expect(md).not.toMatch(/(^|[^\\])<script/);
    expect(md).not.toMatch(/(^|[^\\])\[link\]/);
    expect(md).toContain('\\<script\\>');
    expect(md).toContain('\\*bold\\*');
    expect(md).toContain('\\# heading');
    expect(md).toMatch(/^\\- list$/m);
    expect(md).toMatch(/^1\\. item$/m);
    expect(md).toMatch(/^\\===$/m);
    expect(md).toContain('## Workbook \\<1\\>');
  });
});

describe('resume: LMS copy vs device copy', () => {
  it('prefers the LMS copy and fills texts that only this device holds', () => {
    const lms = freshState();
    lms.updated = 200;
    lms.textsOnDevice = ['big', 'other-device'];
    const device = freshState();
    device.updated = 150;
    device.texts = { big: 'long text', stale: 'old' };
    const s = mergeStates(lms, device);
    expect(s.texts).toEqual({ big: 'long text' });
    expect(s.textsOnDevice).toEqual(['other-device']);
  });
  it('takes the device copy when the LMS missed later writes', () => {
    const lms = freshState();
    lms.updated = 100;
    const device = freshState();
    device.updated = 300;
    device.visited = ['a'];
    expect(mergeStates(lms, device).visited).toEqual(['a']);
  });
  it('ignores the device copy when the LMS starts a new attempt', () => {
    const device = freshState();
    device.updated = 300;
    device.visited = ['a'];
    expect(mergeStates(freshState(), device).visited).toEqual([]);
  });
});

describe('strings', () => {
  it('uses the course locale first, English defaults second, and fills placeholders', () => {
    const t = strings({ 'runtime.saved': 'Gespeichert' });
    expect(t('saved')).toBe('Gespeichert');
    expect(t('progress', { percent: 40 })).toBe('Course progress: 40%');
    expect(t('attemptsLeft', { n: 2 })).toBe('Attempts left: 2.');
  });
});
