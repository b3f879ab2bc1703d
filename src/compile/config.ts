/** course.yml: the course's identity and rules, checked against its schema. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TARGETS, type Course, type ReportingRule, type TargetName } from '../model.ts';
import type { Diagnostics } from '../diagnostics.ts';
import { parsePlacedYaml, type PlacedYaml, type YamlCache } from './yaml.ts';
import { checkSchema } from './schema.ts';
import { readSourceText } from './read.ts';
import { checkTitle } from './limits.ts';

export const CONFIG_FILE = 'course.yml';

export type CourseSettings = Omit<Course, 'modules' | 'pages'>;

export interface LoadedConfig {
  settings: CourseSettings;
  yaml: PlacedYaml;
}

interface RawConfig {
  id: string;
  slug?: string;
  title: string;
  description?: string;
  language?: string;
  version?: string | number;
  organisation?: string;
  targets?: TargetName[];
  theme?: string;
  completion?: { pages?: 'all' | 'required'; responses?: string[] };
  scoring?: { quiz: string; mastery?: number };
  reporting?: { 'scorm12-status'?: ReportingRule['scorm12']; failed?: ReportingRule['failed']; exit?: ReportingRule['exit'] };
  assistant?: { name?: string; url?: string };
}

export async function loadConfig(courseDir: string, diagnostics: Diagnostics, yamlCache?: YamlCache): Promise<LoadedConfig | null> {
  if (!existsSync(join(courseDir, CONFIG_FILE))) {
    diagnostics.error('missing-config', CONFIG_FILE, undefined, `No ${CONFIG_FILE} in the course folder`,
      'Create course.yml with at least `id:` (the course IRI) and `title:`; see docs/authoring.md.');
    return null;
  }
  const text = await readSourceText(courseDir, CONFIG_FILE, diagnostics);
  if (text === null) return null;
  const yaml = parsePlacedYaml(text, CONFIG_FILE, 0, diagnostics, yamlCache);
  if (!yaml || !checkSchema('course', yaml, CONFIG_FILE, diagnostics)) return null;
  const raw = yaml.data as unknown as RawConfig;
  if (!checkTitle(raw.title, CONFIG_FILE, yaml.placeOf(['title']), 'course', diagnostics)) return null;
  const settings: CourseSettings = {
    id: raw.id,
    slug: raw.slug ?? slugFromIri(raw.id),
    title: raw.title,
    description: raw.description ?? '',
    language: raw.language ?? 'en',
    version: String(raw.version ?? '1.0.0'),
    organisation: raw.organisation ?? '',
    targets: raw.targets ?? [...TARGETS],
    theme: raw.theme ?? 'default',
    completion: { pages: raw.completion?.pages ?? 'required', responses: raw.completion?.responses ?? [] },
    // Without `mastery`, the scoring quiz's pass mark is the course's (settled in compile).
    scoring: raw.scoring ? { quiz: raw.scoring.quiz, mastery: raw.scoring.mastery === undefined ? NaN : raw.scoring.mastery / 100 } : null,
    reporting: {
      scorm12: raw.reporting?.['scorm12-status'] ?? 'passed/failed',
      failed: raw.reporting?.failed ?? 'any-attempt',
      exit: raw.reporting?.exit ?? 'suspend',
    },
    assistant: { name: raw.assistant?.name ?? 'the course assistant', url: raw.assistant?.url ?? null },
  };
  return { settings, yaml };
}

/** `https://x.org/courses/my-course/` → `my-course`. */
export function slugFromIri(iri: string): string {
  const last = iri.replace(/[#?].*$/, '').split(/[/:]/).filter(Boolean).pop() ?? 'course';
  return last.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'course';
}
