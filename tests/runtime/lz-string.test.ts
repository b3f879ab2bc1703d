/** The runtime's trimmed copy of lz-string against the npm package: the same bytes both ways. */
import { describe, expect, it } from 'vitest';
import LZString from 'lz-string';
import Trimmed from '../../src/runtime/vendor/lz-string.js';
import { prose } from './fixtures.ts';

/** Deterministic strings with what learner state holds: JSON, prose, accents, emoji, lone surrogates. */
function samples(): string[] {
  const out = ['', 'a', '{"b":"lesson-1","p":["overview"]}', 'Ünïcödé — “quotes” ✓ 😀 中文', '\uD800 lone', 'x'.repeat(5000)];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 60; i++) {
    const length = Math.floor(next() * 3000);
    let s = '';
    for (let k = 0; k < length; k++) s += String.fromCharCode(next() < 0.9 ? 32 + Math.floor(next() * 95) : Math.floor(next() * 0xffff));
    out.push(s);
  }
  for (let i = 1; i <= 5; i++) out.push(prose(200 * i, i));
  return out;
}

describe('vendored lz-string (Base64 pair)', () => {
  it('compresses to exactly what the package makes, and each reads the other', () => {
    for (const s of samples()) {
      const ours = Trimmed.compressToBase64(s);
      expect(ours).toBe(LZString.compressToBase64(s));
      expect(Trimmed.decompressFromBase64(ours)).toBe(s);
      expect(LZString.decompressFromBase64(ours)).toBe(s);
    }
  });

  it('reads broken input the way the package does', () => {
    for (const bad of ['', '!!!!', 'AAAA', 'N4Ig', LZString.compressToBase64('hello world').slice(0, 5)]) {
      expect(Trimmed.decompressFromBase64(bad)).toBe(LZString.decompressFromBase64(bad));
    }
  });
});
