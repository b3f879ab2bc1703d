/** A small RuntimeCourse with every kind of page and interaction, for the runtime tests. */
import type { RuntimeCourse, RuntimeInteraction, RuntimePage } from '../../src/model.ts';
import type { InteractionRecord } from '../../src/runtime/adapters/types.ts';
import type { KeyValueStore } from '../../src/runtime/xapi/queue.ts';

const choices = (...texts: string[]) => texts.map((text, i) => ({ id: String.fromCharCode(97 + i), text }));

export function makeCourse(overrides: Partial<RuntimeCourse> = {}): RuntimeCourse {
  const interactions: Record<string, RuntimeInteraction> = {
    'kc-single': { kind: 'question', type: 'single', id: 'kc-single', pageId: 'lesson-1', prompt: 'Which tool lifts AOV?', choices: choices('Chatbot', 'Recommendations', 'Forecasting'), correct: ['b'] },
    'poll-model': { kind: 'poll', type: 'single', id: 'poll-model', pageId: 'lesson-1', prompt: 'Your business model?', choices: choices('D2C', 'Marketplace') },
    'poll-rate': { kind: 'poll', type: 'likert', id: 'poll-rate', pageId: 'lesson-1', prompt: 'How ready are you?', choices: choices('1', '2', '3', '4', '5') },
    'wb-niche': { kind: 'response', id: 'wb-niche', pageId: 'workbook-1', prompt: 'Which two niches will you investigate, and why?' },
    'wb-goal': { kind: 'response', id: 'wb-goal', pageId: 'workbook-1', prompt: 'Write your SMART goal.' },
    'cap-summary': { kind: 'response', id: 'cap-summary', pageId: 'capstone', prompt: 'Executive summary' },
    'ex-single': { kind: 'question', type: 'single', id: 'ex-single', pageId: 'final-exam', prompt: 'Pick b.', choices: choices('A', 'B', 'C'), correct: ['b'] },
    'ex-multi': { kind: 'question', type: 'multiple', id: 'ex-multi', pageId: 'final-exam', prompt: 'Select two.', choices: choices('A', 'B', 'C', 'D'), correct: ['a', 'c'] },
    'ex-tf': { kind: 'question', type: 'true-false', id: 'ex-tf', pageId: 'final-exam', prompt: 'Data comes first.', choices: choices('True', 'False'), correct: ['a'] },
    'ex-fill': { kind: 'question', type: 'fill-in', id: 'ex-fill', pageId: 'final-exam', prompt: 'Name the framework.', choices: [], correct: ['STRIVE', 'strive framework'] },
  };
  const page = (id: string, type: RuntimePage['type'], extra: Partial<RuntimePage> = {}): RuntimePage => ({
    id, title: `Title of ${id}`, type, moduleId: id === 'overview' ? null : 'm1', required: true, quiz: null,
    interactionIds: Object.values(interactions).filter((i) => i.pageId === id).map((i) => i.id), href: `pages/${id}.html`, ...extra,
  });
  return {
    id: 'https://courses.example.com/test-course',
    title: 'Test course',
    language: 'en',
    version: '1.0.0',
    completion: { pages: 'required', responses: ['cap-summary'] },
    scoring: { quiz: 'final-exam', mastery: 0.8 },
    modules: [{ id: 'm1', title: 'Module 1', number: 1 }],
    pages: [
      page('overview', 'lesson'),
      page('lesson-1', 'lesson'),
      page('optional', 'lesson', { required: false }),
      page('workbook-1', 'workbook'),
      page('capstone', 'workbook'),
      page('final-exam', 'quiz', { quiz: { passMark: 80, attempts: 3, shuffle: true, draw: null } }),
    ],
    interactions,
    strings: {},
    ...overrides,
  };
}

/**
 * Deterministic prose-like text of `n` words: letters drawn with English frequencies, so it
 * compresses no better than real workbook answers (real prose: ~0.8 base64 chars per char).
 */
export function prose(n: number, seed = 1): string {
  const letters = 'eeeeeeeeeeeetttttttttaaaaaaaaoooooooiiiiiiinnnnnnnsssssshhhhhhrrrrrrddddllllcccuuummwwffggyyppbbvkjxqz';
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let w = '';
    for (let k = 1 + Math.floor(next() * 9); k > 0; k--) w += letters[Math.floor(next() * letters.length)];
    out.push(w + (next() < 0.07 ? '.' : next() < 0.05 ? ',' : ''));
  }
  return out.join(' ');
}

const at = Date.UTC(2024, 4, 1, 9, 30, 0);
const base = { description: 'Prompt', weighting: 1, latencyMs: 4_500, at, pageId: 'final-exam' };
/** One record of every kind the player sends, with awkward text for the free-text one. */
export const records: InteractionRecord[] = [
  { ...base, id: 'ex-single', type: 'choice', response: ['b'], correct: [['b']], result: 'correct' },
  { ...base, id: 'ex-multi', type: 'choice', response: ['a', 'd'], correct: [['a', 'c']], result: 'incorrect' },
  { ...base, id: 'ex-tf', type: 'true-false', response: ['false'], correct: [['true']], result: 'incorrect' },
  { ...base, id: 'ex-fill', type: 'fill-in', response: [' Strive '], correct: [['STRIVE'], ['strive framework']], result: 'correct' },
  { ...base, id: 'poll-rate', type: 'likert', response: ['d'], correct: [], result: 'neutral', weighting: 0 },
  { ...base, id: 'poll-model', type: 'choice', response: ['a'], correct: [], result: 'neutral', weighting: 0 },
  {
    ...base,
    id: 'wb niche.1', // not a 1.2 identifier: must be made one
    type: 'long-fill-in',
    response: ['{Line one}\nLine two\r\n\r\n' + 'long '.repeat(120)],
    correct: [],
    result: 'neutral',
    weighting: 0,
  },
];


/** Web Storage in memory (localStorage, sessionStorage), with its data open to the test. */
export function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}
