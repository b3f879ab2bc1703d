/**
 * axe-core in the course's own document. The script is served by the test server from
 * node_modules/axe-core, the same origin as the course, so the course's CSP (`script-src 'self'`)
 * lets it in without weakening anything.
 */
import type { Frame } from 'playwright-core';

export type Impact = 'minor' | 'moderate' | 'serious' | 'critical';

export interface AxeFinding {
  rule: string;
  impact: Impact | null;
  help: string;
  /** Where it was found, e.g. a page id and the state of the page. */
  where: string;
  /** CSS selectors of the offending nodes (the first few). */
  targets: string[];
  nodes: number;
}

export const SEVERE: Impact[] = ['serious', 'critical'];

/** Runs axe on the frame's whole document; returns its violations. */
export async function runAxe(frame: Frame, origin: string, where: string): Promise<AxeFinding[]> {
  if (!(await frame.evaluate(() => typeof (window as any).axe === 'object'))) {
    await frame.addScriptTag({ url: `${origin}/vendor/axe-core/axe.min.js` });
  }
  type Raw = Omit<AxeFinding, 'where' | 'impact'> & { impact: string | null };
  const violations: Raw[] = await frame.evaluate(async () => {
    const axe = (window as any).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v: any) => ({
      rule: v.id as string,
      impact: (v.impact ?? null) as string | null,
      help: v.help as string,
      targets: v.nodes.slice(0, 5).map((n: any) => (n.target as unknown[]).map(String).join(' >>> ')),
      nodes: v.nodes.length as number,
    }));
  });
  return violations.map((v) => ({ ...v, impact: v.impact as Impact | null, where }));
}

/** One line per finding: `serious color-contrast @ lesson-one: .cp-verdict, … (3 nodes) — help`. */
export function formatFindings(findings: AxeFinding[]): string {
  return findings
    .map((f) => `${f.impact ?? 'n/a'} ${f.rule} @ ${f.where}: ${f.targets.join(', ')}${f.nodes > f.targets.length ? ` (+${f.nodes - f.targets.length} more)` : ''} — ${f.help}`)
    .join('\n');
}
