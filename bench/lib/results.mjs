// Each benchmark owns one `## <name>` section of bench/RESULTS.md and rewrites only that one.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const resultsFile = join(resolve(import.meta.dirname, '..'), 'RESULTS.md');

export function writeSection(name, section) {
  const heading = `## ${name}`;
  let text = existsSync(resultsFile)
    ? readFileSync(resultsFile, 'utf8')
    : '# Benchmark results\n\nEach section is rewritten by its benchmark (`npm run bench [name]`).\n';
  const body = section.trimEnd() + '\n';
  const at = text.indexOf(`${heading}\n`);
  if (at < 0) {
    text = text.trimEnd() + '\n\n' + body;
  } else {
    const next = text.indexOf('\n## ', at + heading.length);
    text = text.slice(0, at) + body + (next < 0 ? '' : text.slice(next));
  }
  writeFileSync(resultsFile, text);
  console.log(`wrote ${resultsFile} (${heading})`);
}
