import { Parser, Composer, CST, parseAllDocuments, isScalar, isMap, isPair } from 'yaml';
const text = '\uFEFF# c\r\n---\r\na: &x 1 # t\r\nb:\r\n  c: |\r\n    hi\r\n    there\r\n\r\n  d: "q"\r\ne: # empty\r\nf: {x: 1, y: [1, 2]}\r\ng: *x\r\n<<: *x\r\n';
const tokens = Array.from(new Parser().parse(text));
console.log(JSON.stringify(tokens.map(t=>t.type)));
console.log(tokens.map(CST.stringify).join('') === text);
const docs = Array.from(new Composer({ keepSourceTokens: true }).compose(tokens));
const d = docs[0];
console.log(d.range, d.contents.range, d.errors);
for (const p of d.contents.items) {
  console.log(p.key.source, p.key.range, p.value?.constructor.name, p.value?.range, p.value?.srcToken?.type, JSON.stringify(p.value?.source), p.value?.value, p.srcToken && Object.keys(p.srcToken));
}
const c = d.contents.items[1].value.items[0].value;
console.log(JSON.stringify(c.srcToken, null, 1));
console.log(JSON.stringify(d.contents.items[3].srcToken));
const bad = parseAllDocuments('a: 1\nb: [1, 2\nc: "x\n');
console.log(bad.map(x=>x.errors.map(e=>[e.code, e.message, e.pos, e.linePos])));
