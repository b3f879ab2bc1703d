import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { bundleRuntime } from '../../src/runtime/bundle.ts';

describe('bundleRuntime', () => {
  it.each(['scorm12', 'scorm2004', 'web'] as const)('%s: one self-contained IIFE, at most 12 KB min+gz', async (entry) => {
    const js = await bundleRuntime(entry);
    expect(js.length).toBeGreaterThan(10_000);
    expect(js).toMatch(/^("use strict";)?\(\(\)=>\{/);
    expect(js).not.toMatch(/\bimport\s*\(|\brequire\s*\(|sourceMappingURL/);
    expect(gzipSync(js).length).toBeLessThanOrEqual(12 * 1024);
  });

  it('bundles only the adapter of its target', async () => {
    expect(await bundleRuntime('scorm12')).toContain('LMSInitialize');
    expect(await bundleRuntime('scorm12')).not.toContain('API_1484_11');
    expect(await bundleRuntime('scorm2004')).toContain('API_1484_11');
    expect(await bundleRuntime('web')).not.toMatch(/LMSInitialize|API_1484_11/);
  });
});
