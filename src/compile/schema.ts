/**
 * JSON Schemas for course.yml and page front matter, checked with ajv. Every schema error becomes
 * one diagnostic at the place of the offending key or value, in words an author understands.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { PAGE_TYPES, SCORM12_STATUS_PAIRS, TARGETS } from '../model.ts';
import type { Diagnostics } from '../diagnostics.ts';
import type { PlacedYaml } from './yaml.ts';

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

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const compiled = new Map<object, ValidateFunction>();

/** Validates `yaml.data` against `schema`; reports every error. Returns true when valid. */
export function checkSchema(
  schema: object,
  yaml: PlacedYaml,
  file: string,
  diagnostics: Diagnostics,
): boolean {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(yaml.data)) return true;
  for (const error of validate.errors ?? []) {
    const path = error.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const { message, hint, atKey, extraKey } = describe(error, schema);
    const place = yaml.placeOf(extraKey ? [...path, extraKey] : path, atKey);
    diagnostics.error(error.keyword === 'additionalProperties' ? 'unknown-key' : 'invalid-setting',
      file, place, message, hint);
  }
  return false;
}

function describe(error: ErrorObject, schema: object) {
  const key = error.instancePath.split('/').filter(Boolean).join('.') || 'settings';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      const parent = subSchema(schema, error.schemaPath);
      const known = Object.keys((parent?.properties as object) ?? {}).join(', ');
      return { message: `Unknown key \`${extra}\``, hint: `Known keys here: ${known}.`, atKey: true, extraKey: extra };
    }
    case 'required':
      return { message: `Missing required key \`${params.missingProperty}\``, hint: `Add \`${params.missingProperty}: …\`.` };
    case 'enum':
      return { message: `\`${key}\` must be one of: ${(params.allowedValues as unknown[]).join(', ')}`, hint: 'Check the spelling.' };
    case 'minimum':
    case 'maximum': {
      const range = subSchema(schema, error.schemaPath);
      const bounds = range && 'maximum' in range
        ? `between ${range.minimum} and ${range.maximum}` : `at least ${params.limit}`;
      return { message: `\`${key}\` must be ${bounds}`, hint: key.endsWith('pass') || key.endsWith('mastery') ? 'A pass mark is a percentage, e.g. 80.' : undefined };
    }
    case 'type':
      return { message: `\`${key}\` must be ${article(String(params.type))}`, hint: undefined };
    case 'pattern':
      return { message: `\`${key}\` is not valid here`, hint: patternHint(key) };
    case 'minItems':
    case 'minLength':
      return { message: `\`${key}\` must not be empty`, hint: undefined };
    case 'uniqueItems':
      return { message: `\`${key}\` lists the same value twice`, hint: 'Remove the repeat.' };
    default:
      return { message: `\`${key}\` ${error.message}`, hint: undefined };
  }
}

function patternHint(key: string): string {
  if (key === 'id') return 'A course id is an absolute IRI, e.g. https://courses.example.com/my-course; a page or block id is letters, digits, - and _, starting with a letter.';
  if (key === 'assistant.url') return 'Use an https:// URL containing {prompt}, e.g. https://assistant.example.com/?q={prompt}.';
  if (key === 'language') return 'Use a BCP 47 tag such as en or en-GB.';
  return 'Use lowercase letters, digits and -.';
}

function article(type: string): string {
  const names: Record<string, string> = {
    string: 'text', number: 'a number', integer: 'a whole number', boolean: 'true or false',
    array: 'a list', object: 'a group of settings', 'string,number': 'text',
  };
  return names[type] ?? type;
}

/** The schema node that holds the keyword an error names (its schemaPath less the keyword). */
function subSchema(schema: object, schemaPath: string): Record<string, unknown> | undefined {
  const steps = schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean).slice(0, -1);
  let node: unknown = schema;
  for (const step of steps) node = (node as Record<string, unknown> | undefined)?.[step];
  return node as Record<string, unknown> | undefined;
}
