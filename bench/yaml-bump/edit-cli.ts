// The benchmark's "ours": a one-shot CLI around the YAML editor, as hiera-bump runs it (read,
// edit one value, write), bundled with ncc by run.mjs so it starts like an action bundle.
import { readFileSync, writeFileSync } from 'node:fs';
import { setValues } from '../../packages/yaml-edit/src/index.js';

const [file, path, value] = process.argv.slice(2);
if (!file || !path || value === undefined) {
  console.error('usage: edit-cli FILE PATH VALUE');
  process.exit(2);
}
const { text, changes } = setValues(readFileSync(file, 'utf8'), [{ path, value }], { fileName: file });
if (changes.some((c) => c.changed)) writeFileSync(file, text);
