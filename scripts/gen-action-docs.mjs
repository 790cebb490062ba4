#!/usr/bin/env node
// Writes the inputs/outputs tables of each actions/<name>/README.md from its action.yml, between
// the <!-- action-docs --> markers. With --check, fails when a README has drifted.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const check = process.argv.includes('--check');
const start = '<!-- action-docs: generated from action.yml by scripts/gen-action-docs.mjs -->';
const end = '<!-- /action-docs -->';
const cell = (s) =>
  String(s ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ')
    .trim();
let stale = [];
for (const name of readdirSync(join(root, 'actions'))) {
  const yml = join(root, 'actions', name, 'action.yml');
  const readme = join(root, 'actions', name, 'README.md');
  if (!existsSync(yml) || !existsSync(readme)) continue;
  const spec = parse(readFileSync(yml, 'utf8'));
  const inputs = Object.entries(spec.inputs ?? {}).map(
    ([k, v]) =>
      `| \`${k}\` | ${v.required ? 'yes' : 'no'} | ${v.default !== undefined ? `\`${cell(v.default)}\`` : ''} | ${cell(v.description)} |`,
  );
  const outputs = Object.entries(spec.outputs ?? {}).map(([k, v]) => `| \`${k}\` | ${cell(v.description)} |`);
  const block = [
    start,
    '### Inputs',
    '',
    '| name | required | default | description |',
    '| --- | --- | --- | --- |',
    ...inputs,
    '',
    '### Outputs',
    '',
    '| name | description |',
    '| --- | --- |',
    ...outputs,
    end,
  ].join('\n');
  const text = readFileSync(readme, 'utf8');
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < 0) throw new Error(`${readme}: add the ${start} … ${end} markers`);
  const next = text.slice(0, i) + block + text.slice(j + end.length);
  if (next === text) continue;
  if (check) stale.push(`actions/${name}/README.md`);
  else writeFileSync(readme, next);
}
if (stale.length) {
  console.error(`action READMEs out of date with action.yml: ${stale.join(', ')}; run npm run build`);
  process.exit(1);
}
