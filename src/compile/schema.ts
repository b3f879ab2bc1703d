/**
 * Checks course.yml and front matter against their JSON Schemas (schemas.ts). Every schema error
 * becomes one diagnostic at the place of the offending key or value, in words an author understands.
 */
import type { ErrorObject } from 'ajv';
import type { Diagnostics } from '../diagnostics.ts';
import { SCHEMAS, type SchemaName } from './schemas.ts';
import { validatorOf } from './validators.ts';
import type { PlacedYaml } from './yaml.ts';

/** Validates `yaml.data` against a schema; reports every error. Returns true when valid. */
export function checkSchema(name: SchemaName, yaml: PlacedYaml, file: string, diagnostics: Diagnostics): boolean {
  const schema = SCHEMAS[name];
  const validate = validatorOf(name);
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
