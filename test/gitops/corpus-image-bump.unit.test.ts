import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bumpImageReferences, listImageReferences, planImageUpdate } from '../../packages/image-ref/src/index.js';
import { CORPUS_DIR, jsAt, lineDiff, loadFixture, toJS, type Variant } from '../yaml/corpus-helpers.js';

// Every image of every Kubernetes, Helm and kustomize file of the YAML corpus, bumped to a new tag
// and digest: the line diff shows only the reference's lines, and both YAML 1.2 and 1.1 readers
// see the same documents before and after except at the reference's fields.
const D = `sha256:${'5e'.repeat(32)}`;
const files = ['k8s', 'helm', 'kustomize'].flatMap((dir) =>
  readdirSync(CORPUS_DIR + dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `${dir}/${f}`),
);
const variants: (Variant | undefined)[] = [undefined, 'crlf+bom'];

const cases = files.flatMap((file) => {
  const text = loadFixture(file);
  // A kustomization's fixture name is not kustomization.yaml: tell the finder by its kind instead.
  const names = [...new Set(listImageReferences(text, { fileName: file }).map((f) => f.ref.name))];
  return names.flatMap((image) => variants.map((variant) => ({ file, image, variant })));
});

describe('image bumps over the YAML corpus', () => {
  it('covers the corpus: at least 20 files and 40 images', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(new Set(cases.map((c) => `${c.file} ${c.image}`)).size).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('$file: $image ($variant)', ({ file, image, variant }) => {
    const before = loadFixture(file, variant);
    const target = { image, tag: 'bumped-2026.11', digest: D };
    const r = bumpImageReferences(before, target, { fileName: file });
    expect(r.found.length).toBeGreaterThan(0);
    for (const c of r.changes) expect(c.after.endsWith(`:${target.tag}@${D}`), c.after).toBe(true);

    // Lines: each edited field's line is replaced in place; an added key adds at most one line.
    const planned = planImageUpdate(r.found, target, file);
    const fieldLines = new Set<number>();
    const beforeLines = before.split('\n');
    let addedKeys = 0;
    for (const p of planned) {
      if (p.found.shape === 'string') fieldLines.add(p.found.scalar!.line);
      else {
        for (const part of [p.found.tag!, p.found.digest!]) {
          if (part.field) fieldLines.add(part.field.line);
          // A key added to a block mapping is a line of its own; in a flow mapping it joins the line.
          else if (
            p.edits.some((e) => (e.path as unknown[]).at(-1) === part.key) &&
            !beforeLines[p.found.line - 1]!.includes('{')
          )
            addedKeys++;
        }
      }
    }
    const eol = before.includes('\r\n') ? '\r\n' : '\n';
    const { removed, added } = lineDiff(before.replaceAll(eol, '\n'), r.text.replaceAll(eol, '\n'));
    expect(
      removed.every((l) => fieldLines.has(l)),
      `removed ${removed.join(',')} not within ${[...fieldLines].join(',')}`,
    ).toBe(true);
    expect(added.length).toBe(removed.length + addedKeys);
    if (variant) {
      expect(r.text.startsWith('\uFEFF')).toBe(true);
      expect(r.text.replaceAll('\r\n', '')).not.toContain('\n');
    }

    // Parsing: the same documents except at the edited paths, under YAML 1.2 and 1.1.
    for (const version of ['1.2', '1.1'] as const) {
      const want = toJS(before, version);
      for (const e of planned.flatMap((p) => p.edits)) jsAt(want[e.document ?? 0], e.path as never, { value: e.value });
      expect(toJS(r.text, version)).toEqual(want);
    }

    // Applying the same bump again changes nothing.
    const again = bumpImageReferences(r.text, target, { fileName: file });
    expect(again.text).toBe(r.text);
    expect(again.changes.every((c) => !c.changed)).toBe(true);
  });
});
