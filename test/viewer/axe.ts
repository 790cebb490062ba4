// axe-core, the accessibility engine, run inside the page. It is evaluated through the DevTools
// protocol, which the page's Content-Security-Policy does not govern: the page itself is unchanged.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Every rule axe runs by default (WCAG 2.x A and AA, and its best practices) and what fails it. */
export async function runAxe(page: Page): Promise<{ violations: AxeViolation[]; passes: number }> {
  await page.evaluate(`${AXE_SOURCE};0`);
  return page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => ({
    passes: r.passes.length,
    violations: r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    })),
  }))`);
}
