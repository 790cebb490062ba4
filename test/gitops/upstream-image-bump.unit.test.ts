import { describe, expect, it } from 'vitest';
import { bumpImageReferences, listImageReferences, planImageUpdate } from '../../packages/image-ref/src/index.js';
import { jsAt } from '../yaml/corpus-helpers.js';
import { applyExpected, loadUpstreamCases, readAs, readUpstream, type UpstreamFile } from '../helpers/upstream-yaml.js';

// Every image of real upstream charts (Bitnami, Argo CD, Argo Rollouts, ingress-nginx), install
// manifests (Argo CD, Argo Rollouts, ingress-nginx, Online Boutique) and Argo CD's kustomization,
// bumped to a new tag and digest: the result is byte for byte the expected file, and a YAML 1.2
// and a 1.1 reader see the original's data except at the targeted values.
const { files, cases } = loadUpstreamCases();
const fileOf = new Map(files.map((f) => [f.name, f]));
const imageFiles = [...new Set(cases.map((c) => c.name))].map((n) => fileOf.get(n)!);
const texts = new Map<string, string>();
const textOf = (f: UpstreamFile): string => {
  let t = texts.get(f.name);
  if (t === undefined) texts.set(f.name, (t = readUpstream(f)));
  return t;
};

describe('image bumps on real upstream files', () => {
  it('covers at least ten files: charts, install manifests and a kustomization', () => {
    expect(imageFiles.length).toBeGreaterThanOrEqual(10);
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(imageFiles.map((f) => [f.name, f] as const))(
    '%s: the cases cover every image the file references',
    (_n, f) => {
      const all = new Set(listImageReferences(textOf(f), { fileName: f.path }).map((r) => r.ref.name));
      const covered = cases.filter((c) => c.name === f.name).map((c) => c.image);
      // The chart's own spelling may lack the registry a global key gives it; compare as found.
      expect([...all].sort()).toEqual([...new Set(covered)].sort());
    },
  );

  it.each(cases.map((c) => [`${c.name}: ${c.image}`, c] as const))(
    '%s',
    (_n, c) => {
      const f = fileOf.get(c.name)!;
      const before = textOf(f);
      const target = { image: c.image, tag: c.tag, digest: c.digest };
      const opts = { fileName: f.path };
      const r = bumpImageReferences(before, target, opts);

      expect(r.text).toBe(applyExpected(before, c.expect));
      expect(r.changes.every((x) => x.changed && x.after.endsWith(`:${c.tag}@${c.digest}`))).toBe(true);
      expect(r.changes.map((x) => x.digestForm?.form).filter((x) => x !== undefined)).toEqual(c.digestForms ?? []);
      expect(r.warnings).toEqual([]);

      // The data is the original's but for the targeted values, to a YAML 1.2 and a 1.1 reader.
      const edits = planImageUpdate(r.found, target, f.path).flatMap((p) => p.edits);
      for (const version of ['1.2', '1.1'] as const) {
        const want = readAs(before, version);
        for (const e of edits) jsAt(want[e.document ?? 0], e.path as never, { value: e.value });
        expect(readAs(r.text, version)).toEqual(want);
      }

      const again = bumpImageReferences(r.text, target, opts);
      expect(again.text).toBe(r.text);
      expect(again.changes.every((x) => !x.changed)).toBe(true);
      // Argo CD's install.yaml (1.9 MB, mostly CRDs) is outside the fast reader's subset, so each of
      // its ten edits parses the whole file: about 45 s here for the bump, the check and the re-run.
    },
    240_000,
  );
});
