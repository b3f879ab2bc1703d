/**
 * Vitest global setup: pack the command line once, so the tests run `dist/tool/cli.cjs` exactly
 * as an author's install does.
 */
import { packTool } from '../../src/pack.ts';

export default async function setup(): Promise<void> {
  await packTool();
}
