import { formatPath, setValues, type Edit, type EditWarning } from '@mlflow-actions/yaml-edit';
import { ImageUpdateError } from './errors.js';
import { findImageReferences, type FieldRef, type FindOptions, type FoundReference } from './find.js';
import { formatReference, sameRepository } from './reference.js';

/** What every reference to `image` should become: `image[:tag][@digest]`, exactly (nothing else is kept). */
export interface ImageTarget {
  image: string;
  tag?: string | undefined;
  digest?: string | undefined;
}

/**
 * Where a split-field reference's digest went, and why: a `digest` key, or the tag line as
 * `tag@digest` (which every chart renders, while a digest key the chart never reads pins nothing).
 */
export interface DigestForm {
  form: 'digest-key' | 'tag-line';
  reason: string;
}

export interface PlannedFileEdit {
  found: FoundReference;
  before: string;
  after: string;
  edits: Edit[];
  /** Split fields with a digest to write: where it went (undefined for a whole-reference scalar). */
  digestForm?: DigestForm;
}

/**
 * The YAML edits that make each found reference read `target`. A whole-reference scalar is
 * rewritten keeping the name as the file spells it (`nginx` stays `nginx`; a helm-key path that
 * names another repository gets the target's name). Split fields get the tag and digest given; a
 * digest the target does not have is emptied (Helm charts and kustomize both read an empty digest
 * as none), while a tag the target does not have is refused: an empty Helm tag falls back to the
 * chart's appVersion and an empty `newTag` keeps the manifest's tag, so either would deploy some
 * other image.
 */
export function planImageUpdate(
  found: readonly FoundReference[],
  target: ImageTarget,
  fileName: string,
): PlannedFileEdit[] {
  return found.map((f) => {
    const before = formatReference(f.ref);
    const name = f.shape === 'string' && !sameRepository(f.ref.name, target.image) ? target.image : f.ref.name;
    const after = formatReference({ name, tag: target.tag, digest: target.digest });
    if (f.shape === 'string') {
      return {
        found: f,
        before,
        after,
        edits: [{ path: f.scalar!.path, document: f.document, value: after, type: 'string' }],
      };
    }
    return { found: f, before, after, ...fieldEdits(f, target, fileName) };
  });
}

/** Charts that render only `repository:tag` (Argo CD's, Argo Rollouts') never read a digest key. */
const TAG_LINE_REASON =
  'the block has no digest key, and a chart that renders only repository:tag would ignore a new one';

function digestFormOf(f: FoundReference): DigestForm {
  if (f.format === 'kustomize') return { form: 'digest-key', reason: "kustomize reads an images entry's digest" };
  if (f.digestKeyNamed)
    return { form: 'digest-key', reason: `helm-key names ${formatPath([...f.parent!, f.digest!.key])}` };
  if (f.digest!.field) return { form: 'digest-key', reason: `the block already has a ${f.digest!.key} key` };
  return { form: 'tag-line', reason: TAG_LINE_REASON };
}

function fieldEdits(
  f: FoundReference,
  target: ImageTarget,
  fileName: string,
): { edits: Edit[]; digestForm?: DigestForm } {
  const at = (key: string) => [...f.parent!, key];
  const tag = f.tag!;
  const digest = f.digest!;
  const edits: Edit[] = [];
  const form = target.digest !== undefined ? digestFormOf(f) : undefined;
  const refuse = (field: FieldRef, why: string): never => {
    throw new ImageUpdateError(`${fileName}:${field.line}: ${why}`, fileName, field.line, field.column);
  };
  if (form?.form === 'tag-line') {
    if (target.tag === undefined) {
      const where = formatPath(f.parent!) || '(root)';
      const field = tag.field ?? { path: f.parent!, value: '', line: f.line, column: f.column };
      refuse(
        field,
        `${where} has no digest key, so the digest can only be pinned on its tag line as tag@digest; ` +
          "give 'tag' too (or name a digest key the chart reads with helm-key)",
      );
    }
    edits.push({
      path: tag.field?.path ?? at(tag.key),
      document: f.document,
      value: `${target.tag}@${target.digest}`,
      type: 'string',
    });
    return { edits, digestForm: form };
  }
  if (target.tag !== undefined) {
    edits.push({ path: tag.field?.path ?? at(tag.key), document: f.document, value: target.tag, type: 'string' });
  } else if (tag.field && tag.field.value !== '') {
    const consequence =
      f.format === 'kustomize'
        ? "kustomize would keep the manifest's own tag"
        : 'the chart would fall back to its appVersion';
    refuse(
      tag.field,
      `${formatPath(tag.field.path)} is "${tag.field.value}" and no tag was given; give 'tag' too (emptying it is not safe: ${
        consequence
      })`,
    );
  }
  if (target.digest !== undefined) {
    edits.push({
      path: digest.field?.path ?? at(digest.key),
      document: f.document,
      value: target.digest,
      type: 'string',
    });
  } else if (digest.field && digest.field.value !== '') {
    edits.push({ path: digest.field.path, document: f.document, value: '', type: 'string' });
  }
  return form ? { edits, digestForm: form } : { edits };
}

export interface FileBump {
  text: string;
  found: FoundReference[];
  changes: {
    where: string;
    line: number;
    document: number;
    before: string;
    after: string;
    changed: boolean;
    digestForm?: DigestForm;
  }[];
  /** Problems of the file that did not stop the bump (duplicate keys elsewhere), with their lines. */
  warnings: EditWarning[];
}

/**
 * Finds every reference to `target.image` in `text` (or takes the ones a scan already found in
 * this very text) and rewrites it; `text` comes back unchanged when none differs.
 */
export function bumpImageReferences(
  text: string,
  target: ImageTarget,
  opts: FindOptions,
  found = findImageReferences(text, target.image, opts),
): FileBump {
  const planned = planImageUpdate(found, target, opts.fileName);
  const result = setValues(
    text,
    planned.flatMap((p) => p.edits),
    { fileName: opts.fileName },
  );
  let i = 0;
  const changes = planned.map((p) => {
    const mine = result.changes.slice(i, (i += p.edits.length));
    const { where, line, document } = p.found;
    const form = p.digestForm ? { digestForm: p.digestForm } : {};
    return { where, line, document, before: p.before, after: p.after, changed: mine.some((c) => c.changed), ...form };
  });
  return { text: result.text, found, changes, warnings: result.warnings };
}
