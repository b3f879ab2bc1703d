/**
 * The JSON Schemas of course.yml, page front matter and module index front matter: data only, so
 * that both the checker (schema.ts) and the validators compiled in advance (pack.ts) read them.
 */
import { PAGE_TYPES, SCORM12_STATUS_PAIRS, TARGETS } from '../model.ts';

const id = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]*$' };

export const courseSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title'],
  properties: {
    id: { type: 'string', pattern: '^[a-z][a-z0-9+.-]*:[^\\s]+$' },
    slug: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
    title: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    language: { type: 'string', pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$' },
    version: { type: ['string', 'number'] },
    organisation: { type: 'string' },
    targets: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...TARGETS] } },
    theme: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
    completion: {
      type: 'object',
      additionalProperties: false,
      properties: {
        pages: { enum: ['all', 'required'] },
        responses: { type: 'array', items: id },
      },
    },
    scoring: {
      type: 'object',
      additionalProperties: false,
      required: ['quiz'],
      properties: {
        quiz: id,
        mastery: { type: 'number', minimum: 0, maximum: 100 },
      },
    },
    reporting: {
      type: 'object',
      additionalProperties: false,
      properties: {
        'scorm12-status': { enum: [...SCORM12_STATUS_PAIRS] },
        failed: { enum: ['any-attempt', 'last-attempt'] },
        exit: { enum: ['suspend', 'normal'] },
      },
    },
    assistant: {
      type: 'object',
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1 },
        url: { type: 'string', pattern: '^https://[^\\s]*\\{prompt\\}[^\\s]*$' },
      },
    },
  },
} as const;

/** The keys that name and describe a page or a module. */
const namingKeys = {
  id,
  title: { type: 'string', minLength: 1 },
  duration: { type: ['string', 'number'] },
  description: { type: 'string' },
} as const;

export const frontMatterSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...namingKeys,
    type: { enum: [...PAGE_TYPES] },
    required: { type: 'boolean' },
    pass: { type: 'number', minimum: 0, maximum: 100 },
    attempts: { type: 'integer', minimum: 0 },
    shuffle: { type: 'boolean' },
    draw: { type: 'integer', minimum: 1 },
  },
} as const;

/** The keys a module's index.md may set. */
export const moduleSchema = {
  type: 'object',
  additionalProperties: false,
  properties: namingKeys,
} as const;

export const SCHEMAS = { course: courseSchema, frontMatter: frontMatterSchema, module: moduleSchema } as const;
export type SchemaName = keyof typeof SCHEMAS;
