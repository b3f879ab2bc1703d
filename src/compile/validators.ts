/**
 * The ajv validators of the schemas in schemas.ts, compiled on first use. Compiling generates and
 * evaluates code, about 80 ms at start-up: the packed command line carries this module's
 * precompiled form instead (ajv's standalone code, made by pack.ts), and does not bundle ajv's
 * compiler at all.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { SCHEMAS, type SchemaName } from './schemas.ts';

export const AJV_OPTIONS = { allErrors: true, strict: true, allowUnionTypes: true } as const;

let ajv: Ajv | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

export function validatorOf(name: SchemaName): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    validate = (ajv ??= new Ajv(AJV_OPTIONS)).compile(SCHEMAS[name]);
    compiled.set(name, validate);
  }
  return validate;
}
