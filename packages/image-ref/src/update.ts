import { formatPath, setValues, type Edit } from '@mlflow-actions/yaml-edit';
import { findImageReferences, type FindOptions, type FoundReference } from './find.js';
import { formatReference } from './reference.js';

/** What every reference to `image` should become: `image[:tag][@digest]`, exactly (nothing else is kept). */
export interface ImageTarget {
  image: string;
  tag?: string | undefined;
  digest?: string | undefined;
}

export interface PlannedFileEdit {
  found: FoundReference;
  before: string;
  after: string;
  edits: Edit[];
}

/** A reference that cannot be brought to the target without guessing; points at the file and line. */
export class ImageUpdateError extends Error {
  constructor(
    message: string,
    readonly fileName: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'ImageUpdateError';
  }
}

/**
 * The YAML edits that make each found reference read `target`. A whole-reference scalar is
 * rewritten keeping the name as the file spells it (`nginx` stays `nginx`). Split fields get the
 * tag and digest given; a digest the target does not have is emptied (Helm charts and kustomize
 * both read an empty digest as none), while a tag the target does not have is refused: an empty
 * Helm tag falls back to the chart's appVersion and an empty `newTag` keeps the manifest's tag,
 * so either would deploy some other image.
 */
export function planImageUpdate(found: readonly FoundReference[], target: ImageTarget, fileName: string): PlannedFileEdit[] {
  return found.map((f) => {
    const before = formatReference(f.ref);
    const after = formatReference({ name: f.ref.name, tag: target.tag, digest: target.digest });
    const edits: Edit[] = [];
    if (f.shape === 'string') {
      edits.push({ path: f.scalar!.path, document: f.document, value: after, type: 'string' });
      return { found: f, before, after, edits };
    }
    const at = (key: string) => [...f.parent!, key];
    const tag = f.tag!;
    const digest = f.digest!;
    if (target.tag !== undefined) {
      edits.push({ path: tag.field?.path ?? at(tag.key), document: f.document, value: target.tag, type: 'string' });
    } else if (tag.field && tag.field.value !== '') {
      const consequence = f.format === 'kustomize' ? 'kustomize would keep the manifest\'s own tag' : 'the chart would fall back to its appVersion';
      throw new ImageUpdateError(
        `${fileName}:${tag.field.line}: ${formatPath(tag.field.path)} is "${tag.field.value}" and no tag was given; give 'tag' too (emptying it is not safe: ${consequence})`,
        fileName,
        tag.field.line,
        tag.field.column,
      );
    }
    if (target.digest !== undefined) {
      edits.push({ path: digest.field?.path ?? at(digest.key), document: f.document, value: target.digest, type: 'string' });
    } else if (digest.field && digest.field.value !== '') {
      edits.push({ path: digest.field.path, document: f.document, value: '', type: 'string' });
    }
    return { found: f, before, after, edits };
  });
}

export interface FileBump {
  text: string;
  found: FoundReference[];
  changes: Array<{ where: string; line: number; document: number; before: string; after: string; changed: boolean }>;
}

/**
 * Finds every reference to `target.image` in `text` (or takes the ones a scan already found in
 * this very text) and rewrites it; `text` comes back unchanged when none differs.
 */
export function bumpImageReferences(text: string, target: ImageTarget, opts: FindOptions, found = findImageReferences(text, target.image, opts)): FileBump {
  const planned = planImageUpdate(found, target, opts.fileName);
  const result = setValues(text, planned.flatMap((p) => p.edits), { fileName: opts.fileName });
  let i = 0;
  const changes = planned.map((p) => {
    const mine = result.changes.slice(i, (i += p.edits.length));
    return { where: p.found.where, line: p.found.line, document: p.found.document, before: p.before, after: p.after, changed: mine.some((c) => c.changed) };
  });
  return { text: result.text, found, changes };
}
