import picomatch from 'picomatch';
import { YamlSyntaxError } from '@mlflow-actions/yaml-edit';
import { listImageReferences, refersTo, type FindOptions, type FoundReference } from './find.js';
import { formatReference } from './reference.js';
import { PromotionError } from './errors.js';
import { bumpImageReferences, type FileBump, type ImageTarget } from './update.js';

/** A tree to read: a branch at one commit (git-writeback's TreeReader fits). */
export interface Tree {
  files(): Promise<string[]>;
  read(path: string): Promise<string | undefined>;
  /** Optional: several files in one go (a git tree reads them with one process). */
  readMany?(paths: readonly string[]): Promise<Map<string, string | undefined>>;
}

export type ScanOptions = Omit<FindOptions, 'fileName'>;

export interface ScannedFile {
  file: string;
  text: string;
  found: FoundReference[];
}

export interface Scan {
  /** Every file the globs matched, in path order. */
  matched: string[];
  /** Files that matched but were not read as YAML, and why (a Helm template is not YAML). */
  skipped: { file: string; reason: string }[];
  /** Files holding at least one reference to the image. */
  withReferences: ScannedFile[];
  /** Names of the other images referenced in the matched files (to point out a misspelt `image`). */
  otherImages: string[];
}

/** The tree's files that any glob matches (dot files included: `.argocd/*.yaml` is a fine target). */
export function matchFiles(files: readonly string[], globs: readonly string[]): string[] {
  const isMatch = picomatch([...globs], { dot: true });
  return files.filter((f) => isMatch(f)).sort();
}

/** Files read at once through Tree.readMany. */
const READ_BATCH = 500;

/**
 * Reads every matched file and finds the references to `image`. A file that is not YAML fails the
 * scan with its line and column, except a Go template (it holds `{{`), which is skipped and listed:
 * a glob such as `chart/**` catches a chart's templates beside its values.
 */
export async function scanTree(
  tree: Tree,
  globs: readonly string[],
  image: string,
  opts: ScanOptions = {},
): Promise<Scan> {
  const matched = matchFiles(await tree.files(), globs);
  const skipped: Scan['skipped'] = [];
  const withReferences: ScannedFile[] = [];
  const others = new Set<string>();
  // With readMany, files are read a batch at a time: one git process per batch, and only one
  // batch of texts held beyond those that have references.
  let texts: Map<string, string | undefined> | undefined;
  for (const [i, file] of matched.entries()) {
    if (tree.readMany && i % READ_BATCH === 0) texts = await tree.readMany(matched.slice(i, i + READ_BATCH));
    const text = texts ? texts.get(file) : await tree.read(file);
    if (text === undefined) continue;
    let found: FoundReference[];
    try {
      found = listImageReferences(text, { ...opts, fileName: file, image }).filter((f) => {
        const mine = refersTo(f, image);
        if (!mine) others.add(f.ref.name);
        return mine;
      });
    } catch (e) {
      if (e instanceof YamlSyntaxError && text.includes('{{')) {
        skipped.push({ file, reason: `not YAML (a template?): line ${e.line}, column ${e.column}` });
        continue;
      }
      throw e;
    }
    if (found.length > 0) withReferences.push({ file, text, found });
  }
  return { matched, skipped, withReferences, otherImages: [...others].sort() };
}

/** Why nothing was found, in one line that lists what was looked at. */
export function nothingFoundMessage(scan: Scan, globs: readonly string[], image: string, where: string): string {
  const list = (xs: string[]) =>
    xs.length <= 10 ? xs.join(', ') : `${xs.slice(0, 10).join(', ')} and ${xs.length - 10} more`;
  if (scan.matched.length === 0)
    return `no file ${where} matches input 'files' (${globs.join(', ')}); check the globs against the repository's paths`;
  const skipped = scan.skipped.length ? `; skipped as not YAML: ${list(scan.skipped.map((s) => s.file))}` : '';
  const others = scan.otherImages.length ? `; images referenced there: ${list(scan.otherImages)}` : '';
  return `no reference to image ${image} in the ${scan.matched.length} file(s) ${where} matched by input 'files': ${list(
    scan.matched,
  )}${skipped}${others}`;
}

export interface Promotion {
  tag: string | undefined;
  digest: string | undefined;
  /** The reference as found (name as the source spells it). */
  ref: string;
  /** file:line of every place it was found. */
  places: string[];
}

/**
 * The one reference to promote: every place the source has must agree on tag and digest (the
 * name may be spelled differently). Several different ones, or one with neither tag nor digest,
 * is an error rather than a guess.
 */
export function promotionOf(scan: Scan, image: string, branch: string): Promotion {
  const byRef = new Map<string, Promotion>();
  for (const { file, found } of scan.withReferences) {
    for (const f of found) {
      const key = `${f.ref.tag ?? ''}@${f.ref.digest ?? ''}`;
      let p = byRef.get(key);
      if (!p) byRef.set(key, (p = { tag: f.ref.tag, digest: f.ref.digest, ref: formatReference(f.ref), places: [] }));
      p.places.push(`${file}:${f.line}`);
    }
  }
  const all = [...byRef.values()];
  if (all.length > 1) {
    throw new PromotionError(
      `branch ${branch} has ${all.length} different references to ${image}: ${all
        .map((p) => `${p.ref} (${p.places.join(', ')})`)
        .join('; ')}; narrow input 'files' to the files of one environment`,
    );
  }
  const only = all[0]!;
  if (only.tag === undefined && only.digest === undefined) {
    throw new PromotionError(
      `branch ${branch} refers to ${image} with neither tag nor digest (${only.places.join(', ')}): there is nothing exact to promote`,
    );
  }
  return only;
}

export interface TreeBump {
  scan: Scan;
  files: ({ file: string } & FileBump)[];
}

/** Rewrites the references in every scanned file; returns the new texts (the caller writes the changed ones). */
export function bumpScan(scan: Scan, target: ImageTarget, opts: ScanOptions = {}): TreeBump {
  return {
    scan,
    files: scan.withReferences.map(({ file, text, found }) => ({
      file,
      ...bumpImageReferences(text, target, { ...opts, fileName: file }, found),
    })),
  };
}
