import { Parser, Composer, CST, parseAllDocuments, parseDocument } from 'yaml';
function t(text, path, val, ctx) {
  const tokens = Array.from(new Parser().parse(text));
  const docs = Array.from(new Composer({ keepSourceTokens: true }).compose(tokens));
  let n = docs[0].contents; for (const k of path) n = n.get(k, true);
  CST.setScalarValue(n.srcToken, val, ctx);
  console.log(JSON.stringify(tokens.map(CST.stringify).join('')));
}
const src = 'a:\n  c: |\n    hi\n    there\n\n  d: 1\nz: >-\n  folded\n  text\n';
t(src, ['a','c'], 'one line');
t(src, ['a','c'], 'two\nlines\n');
t(src, ['a','c'], '  lead\nx');
t(src, ['z'], 'new folded long text');
t(src, ['z'], 'a\nb');
t('- |\n  x\n- y\n', [0], 'q\nr');
for (const v of ['12:30', '1:20', '190:20:30', '1_000', '0755', '0o755', '1e3', '2024-01-01', 'y', 'n', '=', '<<', '.inf', '1,000', '1.2.3', '.']) {
  const a = parseDocument('k: ' + v, { version: '1.1' }).get('k'); const b = parseDocument('k: ' + v).get('k');
  console.log(v, JSON.stringify(a), typeof a, JSON.stringify(b), typeof b);
}
console.log(parseAllDocuments('').length, parseAllDocuments('# only\n').map(d => [d.range, d.contents]), parseAllDocuments('---\n').map(d => [d.range, d.contents?.range]));
const d = parseDocument('a: 1\nb:\n  - x\n  - y # c\n\n# tail\n'); console.log(d.contents.items[1].value.range, d.contents.range);
