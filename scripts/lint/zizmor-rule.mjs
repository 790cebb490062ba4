// Reads zizmor's JSON (--format=json) on stdin, prints the findings of one rule as
// `path:line: rule: description`, and exits 1 if there is any. zizmor has no switch to run one
// rule of a persona, so lint-workflows.sh runs the whole auditor persona and keeps one rule here.
//
//   zizmor --persona=auditor --format=json ... | node scripts/lint/zizmor-rule.mjs secrets-outside-env
import { text } from 'node:stream/consumers';

const rule = process.argv[2];
if (!rule) {
  console.error('usage: node scripts/lint/zizmor-rule.mjs <rule>');
  process.exit(2);
}
const findings = JSON.parse(await text(process.stdin)).filter((f) => f.ident === rule);
for (const f of findings) {
  const at = f.locations.find((l) => l.symbolic.kind === 'Primary') ?? f.locations[0];
  const local = at.symbolic.key.Local ?? {};
  const path = local.given_path ?? local.verbatim_path ?? '?';
  console.log(`${path}:${at.concrete.location.start_point.row + 1}: ${rule}: ${f.desc} (${at.symbolic.annotation})`);
}
console.error(`lint-workflows: ${findings.length} ${rule} finding(s)`);
process.exit(findings.length > 0 ? 1 : 0);
