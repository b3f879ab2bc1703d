import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { bundleRuntime } from '../../src/runtime/bundle.ts';

/** The xAPI and cmi5 runtimes: player + adapter + queue, written on fetch (no client library). */
describe('xAPI and cmi5 runtime bundles', () => {
  it.each(['xapi', 'cmi5'] as const)('%s: one self-contained IIFE, at most 35 KB min+gz', async (entry) => {
    const js = await bundleRuntime(entry);
    expect(js).toMatch(/^("use strict";)?\(\(\)=>\{/);
    expect(js).not.toMatch(/\bimport\s*\(|\brequire\s*\(|sourceMappingURL/);
    expect(gzipSync(js).length).toBeLessThanOrEqual(35 * 1024);
  });

  it('carries its adapter and no SCORM, no axios, no second xAPI client', async () => {
    const xapi = await bundleRuntime('xapi');
    const cmi5 = await bundleRuntime('cmi5');
    for (const js of [xapi, cmi5]) {
      expect(js).toContain('X-Experience-API-Version');
      expect(js).not.toMatch(/LMSInitialize|API_1484_11|axios/i);
    }
    expect(cmi5).toContain('cmi5LearnerPreferences');
    expect(cmi5).toContain('LMS.LaunchData');
    expect(xapi).not.toContain('cmi5LearnerPreferences');
  });
});
