/**
 * The Common Cartridge, for the sample course and the real one: a manifest and QTI files valid
 * against the CC 1.1 schemas, and a round trip — the cartridge read back as an importer reads it
 * holds every page, every question with its type, choices, correct answers, feedback and points,
 * every poll and every response (as an essay), with links that resolve and no script.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { selectAll } from 'hast-util-select';
import { fromHtml } from 'hast-util-from-html';
import { toText } from 'hast-util-to-text';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import type { CompiledCourse, Interaction, Page } from '../../src/model.ts';
import { memoryMemo } from '../../src/memo.ts';
import { renderSite } from '../../src/render/site.ts';
import { loadTheme } from '../../src/render/theme.ts';
import { planCartridge, type CartridgePlan } from '../../src/targets/cc/plan.ts';
import { cartridgeStrings } from '../../src/targets/cc/strings.ts';
import { SAMPLE_COURSE } from '../support/course.ts';
import { pageHtml } from '../support/page-html.ts';
import { htmlText, readCartridge, type Cartridge, type QtiItem } from '../support/cartridge.ts';
import { validateCartridgeAssessment, validateCartridgeManifest } from '../support/xml/validate.ts';

const REAL_COURSE = join(import.meta.dirname, '../../course');
const PROFILES = {
  single: 'cc.multiple_choice.v0p1',
  multiple: 'cc.multiple_response.v0p1',
  'true-false': 'cc.true_false.v0p1',
  'fill-in': 'cc.fib.v0p1',
};

const courses = [
  { name: 'the sample course', dir: SAMPLE_COURSE, targets: ['cc' as const] },
  // No targets given: the course's own (course.yml names none, so every target).
  { name: 'the real course', dir: REAL_COURSE, targets: undefined },
];

/** The rendered explanation of a question, as the learner reads it in the other packages. */
function explanationOf(compiled: CompiledCourse, page: Page, id: string): string | null {
  const block = selectAll('section[data-interaction]', fromHtml(pageHtml(compiled, page), { fragment: true }))
    .find((s) => s.properties.dataInteraction === id)!;
  const explanation = selectAll('.cp-explanation', block)[0];
  return explanation ? toText(explanation).replace(/\s+/g, ' ').trim() : null;
}

/** The model's prompt is plain text cut at 250 characters: the item's text starts with it. */
const startsWithPrompt = (item: QtiItem, interaction: Interaction) =>
  expect(item.text.startsWith(interaction.prompt.replace(/…$/, '')), `${item.ident}: ${item.text}`).toBe(true);

describe.each(courses)('Common Cartridge of $name', ({ dir, targets }) => {
  let outDir: string;
  let name: string;
  let compiled: CompiledCourse;
  let cartridge: Cartridge;
  let items: Map<string, QtiItem>;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'coursepack-cc-'));
    const result = await build({ courseDir: dir, outDir, targets });
    expect(result.diagnostics.errors).toEqual([]);
    compiled = result.compiled!;
    const pkg = result.packages.find((p) => p.target === 'cc');
    expect(pkg?.name).toBe(`${compiled.course.slug}-cc.imscc`);
    name = pkg!.name;
    cartridge = readCartridge(await readFile(join(outDir, name)));
    items = new Map([...cartridge.assessments.values()].flatMap((a) => a.items.map((i) => [i.ident, i] as const)));
  }, 300_000);

  it('has a manifest valid against the CC 1.1 schemas, with the course metadata', async () => {
    expect(await validateCartridgeManifest(cartridge.manifest)).toEqual({ valid: true, errors: [] });
    // Moodle only recognises CC 1.1 when its namespace is the default one, early in the file.
    expect(cartridge.manifest.slice(0, 1024)).toContain('xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"');
    expect(cartridge.manifest).toContain('<schemaversion>1.1.0</schemaversion>');
    const { course } = compiled;
    expect(cartridge.manifest).toContain(`<lomimscc:string language="${course.language}">${course.title}</lomimscc:string>`);
    expect(cartridge.manifest).toContain(`<lomimscc:language>${course.language}</lomimscc:language>`);
  });

  it('has QTI files valid against the CC 1.1 QTI profile', async () => {
    expect(cartridge.assessments.size).toBeGreaterThan(0);
    for (const file of cartridge.assessments.keys()) {
      expect(await validateCartridgeAssessment(String(cartridge.files.get(file))), file).toEqual({ valid: true, errors: [] });
    }
  });

  it('is checked by validators that do reject a broken manifest or QTI file', async () => {
    const manifest = await validateCartridgeManifest(cartridge.manifest.replace('<schemaversion>1.1.0</schemaversion>', ''));
    expect(manifest.valid).toBe(false);
    const [file] = cartridge.assessments.keys();
    const qti = await validateCartridgeAssessment(String(cartridge.files.get(file)).replace('<presentation>', '<presentation><hint/>'));
    expect(qti.valid).toBe(false);
  });

  it('lists every file of the zip in the manifest, each once', () => {
    const entries = [...cartridge.files.keys()].filter((f) => f !== 'imsmanifest.xml').sort();
    expect([...cartridge.listed].sort()).toEqual(entries);
    expect(new Set(cartridge.listed).size).toBe(cartridge.listed.length);
    for (const asset of compiled.assets) expect(entries.some((e) => e.endsWith(`/${asset}`)), asset).toBe(true);
  });

  it('has one module per course module, each page in order as a page or an assessment', () => {
    const { course, interactions } = compiled;
    const pageOf = (item: Cartridge['modules'][number]['items'][number]): string => {
      if (item.type === 'webcontent') {
        // A page's file is named by its id, and carries its title as heading and item title.
        const page = course.pages.find((p) => item.file.endsWith(`/${p.id}.html`))!;
        const html = String(cartridge.files.get(item.file));
        expect(htmlText(html.match(/<h1>(.*?)<\/h1>/s)?.[1] ?? '')).toBe(page.title);
        expect(item.title).toBe(page.title);
        return page.id;
      }
      return interactions.get(cartridge.assessments.get(item.file)!.items[0].ident)!.pageId;
    };
    const expected = [
      ...(course.pages.some((p) => p.moduleId === null) ? [course.pages.filter((p) => p.moduleId === null).map((p) => p.id)] : []),
      ...course.modules.map((m) => m.pageIds),
    ];
    const pagesWithContent = new Set(course.pages.filter((p) => pageHtml(compiled, p).trim() !== '').map((p) => p.id));
    const found = cartridge.modules.map((m) => [...new Set(m.items.map(pageOf))]);
    expect(found).toEqual(expected.map((ids) => ids.filter((id) => pagesWithContent.has(id))));
    expect(cartridge.modules.slice(-course.modules.length).map((m) => m.title)).toEqual(course.modules.map((m) => m.title));
  });

  it('shows every page: its title and headings, in a page or the assessment it became', () => {
    for (const page of compiled.course.pages.filter((p) => pageHtml(compiled, p).trim() !== '')) {
      const items = cartridge.modules.flatMap((m) => m.items);
      const file = items.find((i) => i.type === 'webcontent' && i.file.endsWith(`/${page.id}.html`))?.file;
      if (!file) {
        expect(items.some((i) => i.type !== 'webcontent' && i.title === page.title), page.id).toBe(true);
        continue;
      }
      const text = htmlText(String(cartridge.files.get(file)));
      for (const heading of page.headings) expect(text, `${page.id}: ${heading}`).toContain(heading);
    }
  });

  it('carries every question with its type, choices, correct answers, feedback and points', () => {
    const questions = [...compiled.interactions.values()].filter((i) => i.kind === 'question');
    expect(questions.length).toBeGreaterThan(0);
    for (const question of questions) {
      const item = items.get(question.id)!;
      expect(item, question.id).toBeDefined();
      expect(item.profile, question.id).toBe(PROFILES[question.type]);
      // A quiz question counts one point; a knowledge check none, as in the other packages.
      const page = compiled.course.pages.find((p) => p.id === question.pageId)!;
      expect(item.points, question.id).toBe(page.type === 'quiz' ? 1 : 0);
      startsWithPrompt(item, question);
      if (question.type === 'fill-in') {
        expect(item.choices).toEqual([]);
        expect(item.correct).toEqual(question.correct);
        continue;
      }
      // True/false are named by their meaning (Moodle requires it); the others by the model's id.
      const ident = (id: string) => (question.type === 'true-false' ? question.choices.find((c) => c.id === id)!.text.toLowerCase() : id);
      expect(item.choices, question.id).toEqual(question.choices.map((c) => ({ ident: ident(c.id), text: c.text })));
      expect(item.correct.sort(), question.id).toEqual(question.correct.map(ident).sort());
      expect(item.feedback, question.id).toBe(explanationOf(compiled, page, question.id));
    }
  });

  it('carries every poll with its options, no right answer and no points', () => {
    for (const poll of [...compiled.interactions.values()].filter((i) => i.kind === 'poll')) {
      const item = items.get(poll.id)!;
      expect(item.profile, poll.id).toBe(poll.type === 'multiple' ? PROFILES.multiple : PROFILES.single);
      expect(item.choices.map((c) => c.text)).toEqual(poll.choices.map((c) => c.text));
      expect(item.correct).toEqual([]);
      expect(item.points).toBe(0);
      startsWithPrompt(item, poll);
    }
  });

  it('carries every response block as an essay, the task as its text', () => {
    const responses = [...compiled.interactions.values()].filter((i) => i.kind === 'response');
    expect(responses.length).toBeGreaterThan(0);
    for (const response of responses) {
      const item = items.get(response.id)!;
      expect(item?.profile, response.id).toBe('cc.essay.v0p1');
      expect(item.correct).toEqual([]);
      startsWithPrompt(item, response);
    }
    expect(items.size).toBe(compiled.interactions.size);
  });

  it('groups each page\'s interactions, and gives a quiz its attempts', () => {
    for (const assessment of cartridge.assessments.values()) {
      const pages = new Set(assessment.items.map((i) => compiled.interactions.get(i.ident)!.pageId));
      expect(pages.size, assessment.file).toBe(1);
      const page = compiled.course.pages.find((p) => pages.has(p.id))!;
      expect(assessment.metadata.cc_profile).toBe('cc.exam.v0p1');
      const questions = assessment.items.every((i) => compiled.interactions.get(i.ident)!.kind === 'question');
      if (questions) expect(assessment.metadata.cc_maxattempts).toBe(page.quiz?.attempts ? String(page.quiz.attempts) : 'unlimited');
      if (page.type === 'quiz') expect(assessment.items.every((i) => i.points === 1)).toBe(true);
    }
  });

  it('has pages without script or controls, whose links and images resolve inside the cartridge', () => {
    const pages = [...cartridge.files.keys()].filter((f) => f.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(0);
    for (const path of pages) {
      const html = String(cartridge.files.get(path));
      expect(html, path).not.toMatch(/<script|\son[a-z]+=|<button|<textarea|<input|javascript:/i);
      for (const [, url] of html.matchAll(/(?:href|src)="([^"#]+)(?:#[^"]*)?"/g)) {
        if (/^(https?:|mailto:)/.test(url)) continue;
        expect(cartridge.files.has(posix.join(posix.dirname(path), url)), `${path}: ${url}`).toBe(true);
      }
    }
    for (const path of cartridge.assessments.keys()) {
      for (const [, url] of String(cartridge.files.get(path)).matchAll(/\$IMS-CC-FILEBASE\$\/([^"&#]+)/g)) {
        expect(cartridge.files.has(posix.join(posix.dirname(path), url)), `${path}: ${url}`).toBe(true);
      }
    }
  });

  it('plans from the memo as from the trees: which pages fold, which assessments have a rubric', async () => {
    const memo = memoryMemo();
    const say = cartridgeStrings((await loadTheme(compiled.course.theme, compiled.course.language)).strings);
    const plans: CartridgePlan[] = [];
    for (let build = 0; build < 2; build++) { // the second plans each page from its memoised shape
      plans.push(planCartridge(compiled, (await renderSite(compiled, memo)).bodies, say, memo));
      memo.nextBuild();
    }
    const summary = (plan: CartridgePlan) => [...plan.pages.values()].map((p) =>
      [p.page.id, p.href, p.assessments.map((a) => [a.ident, a.title, a.hasRubric, a.rubric !== null])]);
    expect(summary(plans[1]!)).toEqual(summary(plans[0]!));
    for (const a of plans[0]!.assessments) expect(a.hasRubric, a.ident).toBe(a.rubric !== null);
    expect(plans[0]!.assessments.some((a) => a.hasRubric)).toBe(true);
  });

  it('rebuilds byte-identical', async () => {
    const again = await mkdtemp(join(tmpdir(), 'coursepack-cc-again-'));
    await build({ courseDir: dir, outDir: again, targets: ['cc'] });
    const [first, second] = await Promise.all([readFile(join(outDir, name)), readFile(join(again, name))]);
    expect(second.equals(first)).toBe(true);
  });
});
