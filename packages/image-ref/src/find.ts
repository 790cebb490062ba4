import { findScalars, formatPath, type PathSegment, type ScalarInfo } from '@mlflow-actions/yaml-edit';
import { hasRegistryHost, sameRepository, tryParseReference, type ImageReference } from './reference.js';

export type ImageFormat = 'kubernetes' | 'helm' | 'kustomize';

/** One scalar that holds (part of) a reference. */
export interface FieldRef {
  path: PathSegment[];
  value: string;
  line: number;
  column: number;
}

/**
 * An image reference found in a file. `string`: one scalar holds the whole reference
 * (`image: repo:tag@digest`). `fields`: the name, tag and digest are separate keys of one mapping
 * (Helm's `image.repository`/`image.tag`/`image.digest`, a kustomization's `images[]`).
 */
export interface FoundReference {
  document: number;
  format: ImageFormat;
  shape: 'string' | 'fields';
  /** Where it is, as a key path (e.g. `spec.template.spec.containers[0].image`). */
  where: string;
  line: number;
  column: number;
  /** The reference as the file has it (for fields: assembled from them). */
  ref: ImageReference;
  /** Another name that denotes the same entry (a kustomization's `name` when `newName` renames it). */
  alsoNamed?: string;
  /** shape 'string': the scalar holding the whole reference. */
  scalar?: FieldRef;
  /** shape 'fields': the mapping holding the fields, and each field (undefined: the key is absent). */
  parent?: PathSegment[];
  tag?: { key: string; field: FieldRef | undefined };
  digest?: { key: string; field: FieldRef | undefined };
  /** shape 'fields': the tag field holds `tag@digest` (a chart that reads no digest key, pinned). */
  digestOnTagLine?: boolean;
  /** Found through a `helm-key` path: it is the image asked for, whatever name the block has. */
  byHelmKey?: boolean;
  /** A `helm-key` path names the digest key (so it is written there even if absent). */
  digestKeyNamed?: boolean;
}

export interface FindOptions {
  fileName: string;
  /** `auto` (default) decides per document: see `detectFormat`. */
  format?: ImageFormat | 'auto';
  /** Helm: extra key paths (e.g. `modelServer.image.tag`) that hold a tag, a digest or a whole reference. */
  helmKeys?: readonly PathSegment[][];
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);
const KUSTOMIZATION_FILE = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;

interface Doc {
  index: number;
  scalars: ScalarInfo[];
  byParent: Map<string, Map<string, ScalarInfo>>;
}

const keyOf = (path: readonly PathSegment[]): string => JSON.stringify(path);
/** An empty scalar means the field is unset (charts ship `tag: ""` for "use appVersion"). */
const nonEmpty = (value: string | undefined): string | undefined => (value === '' ? undefined : value);
/** A path's last key as text; an item selector, never a map key, reads in its path form. */
const lastKey = (path: readonly PathSegment[]): string => {
  const last = path[path.length - 1];
  return typeof last === 'object' ? formatPath([last]) : String(last);
};
const field = (s: ScalarInfo): FieldRef => ({ path: s.path, value: s.value, line: s.line, column: s.column });

/**
 * `kustomize` for a kustomization (by file name, or `kind: Kustomization`), `kubernetes` for a
 * document with `apiVersion` and `kind`, `helm` (a values file) otherwise.
 */
export function detectFormat(fileName: string, root: ReadonlyMap<string, ScalarInfo> | undefined): ImageFormat {
  const kind = root?.get('kind')?.value;
  if (KUSTOMIZATION_FILE.test(fileName) || kind === 'Kustomization' || kind === 'Component') return 'kustomize';
  if (kind !== undefined && root?.get('apiVersion') !== undefined) return 'kubernetes';
  return 'helm';
}

/**
 * Every reference to `image` (compared as the runtime resolves names: `nginx` is
 * `docker.io/library/nginx`) in every document of `text`, in file order. Throws the YAML editor's
 * YamlSyntaxError (with line and column) when the text is not YAML.
 */
export function findImageReferences(text: string, image: string, opts: FindOptions): FoundReference[] {
  return listImageReferences(text, { ...opts, image }).filter((f) => refersTo(f, image));
}

/** Whether `f` is a reference to `image`: by name, by a kustomization's other name, or because helm-key named it. */
export function refersTo(f: FoundReference, image: string): boolean {
  return (
    f.byHelmKey === true ||
    sameRepository(f.ref.name, image) ||
    (f.alsoNamed !== undefined && sameRepository(f.alsoNamed, image))
  );
}

/**
 * Every image reference in `text`, whatever the image. `image` only names the repository that
 * `helm-key` paths without a repository beside them belong to.
 */
export function listImageReferences(text: string, opts: FindOptions & { image?: string }): FoundReference[] {
  const docs = new Map<number, Doc>();
  for (const s of findScalars(text, () => true, { fileName: opts.fileName })) {
    let doc = docs.get(s.document);
    if (!doc) docs.set(s.document, (doc = { index: s.document, scalars: [], byParent: new Map() }));
    doc.scalars.push(s);
    const last = s.path[s.path.length - 1];
    if (typeof last === 'string') {
      const k = keyOf(s.path.slice(0, -1));
      let siblings = doc.byParent.get(k);
      if (!siblings) doc.byParent.set(k, (siblings = new Map<string, ScalarInfo>()));
      siblings.set(last, s);
    }
  }
  const out: FoundReference[] = [];
  for (const doc of docs.values()) {
    const format =
      !opts.format || opts.format === 'auto' ? detectFormat(opts.fileName, doc.byParent.get('[]')) : opts.format;
    out.push(
      ...(format === 'kubernetes'
        ? inManifest(doc)
        : format === 'kustomize'
          ? inKustomization(doc)
          : inValues(doc, opts.helmKeys ?? [], opts.image ?? '')),
    );
  }
  return out.sort((a, b) => a.document - b.document || a.line - b.line || a.column - b.column);
}

function stringRef(doc: Doc, format: ImageFormat, s: ScalarInfo): FoundReference | undefined {
  const ref = tryParseReference(s.value);
  if (typeof ref === 'string') return undefined; // a template (`{{ .Values.image }}`) or not an image
  return {
    document: doc.index,
    format,
    shape: 'string',
    where: formatPath(s.path),
    line: s.line,
    column: s.column,
    ref,
    scalar: field(s),
  };
}

/** Kubernetes manifests: every container list of any pod template (Deployment, CronJob, Rollout, ...). */
function inManifest(doc: Doc): FoundReference[] {
  const out: FoundReference[] = [];
  for (const s of doc.scalars) {
    const n = s.path.length;
    if (
      n >= 3 &&
      s.path[n - 1] === 'image' &&
      typeof s.path[n - 2] === 'number' &&
      CONTAINER_LISTS.has(s.path[n - 3] as string)
    ) {
      const f = stringRef(doc, 'kubernetes', s);
      if (f) out.push(f);
    }
  }
  return out;
}

/** A kustomization's `images:` list: `name`, `newName`, `newTag`, `digest`. */
function inKustomization(doc: Doc): FoundReference[] {
  const out: FoundReference[] = [];
  for (let i = 0; ; i++) {
    const parent: PathSegment[] = ['images', i];
    const fields = doc.byParent.get(keyOf(parent));
    if (!fields) {
      // Items are numbered densely; stop at the first index with no scalar fields at all.
      if (!doc.scalars.some((s) => s.path[0] === 'images' && s.path[1] === i)) break;
      continue;
    }
    const name = fields.get('name');
    if (!name) continue;
    const newName = fields.get('newName');
    const tag = fields.get('newTag');
    const digest = fields.get('digest');
    const refName = nonEmpty(newName?.value) ?? name.value;
    out.push({
      document: doc.index,
      format: 'kustomize',
      shape: 'fields',
      where: `images[name=${name.value}]`,
      line: name.line,
      column: name.column,
      ref: { name: refName, tag: nonEmpty(tag?.value), digest: nonEmpty(digest?.value) },
      parent,
      tag: { key: 'newTag', field: tag && field(tag) },
      digest: { key: 'digest', field: digest && field(digest) },
      // The entry matches images named `name` and renames them to `newName`: either denotes it.
      ...(newName && newName.value !== name.value ? { alsoNamed: name.value } : {}),
    });
  }
  return out;
}

/**
 * Helm values: mappings shaped like `image: {registry?, repository | image, tag?, digest?}`, a
 * scalar `image: repo:tag`, and the `helm-key` paths given.
 */
function inValues(doc: Doc, helmKeys: readonly PathSegment[][], image: string): FoundReference[] {
  const out: FoundReference[] = [];
  const registry = globalRegistry(doc);
  const claimed = new Set<string>();
  // helm-key paths, grouped by the mapping they sit in: a tag key and a digest key there are one
  // reference. A digest key may be named before it exists: it is then added there.
  const named = new Map<string, { parent: PathSegment[]; tag?: ScalarInfo; digest?: ScalarInfo; digestKey?: string }>();
  const groupOf = (parent: PathSegment[]) => {
    let group = named.get(keyOf(parent));
    if (!group) named.set(keyOf(parent), (group = { parent }));
    return group;
  };
  for (const path of helmKeys) {
    const s = doc.scalars.find((x) => keyOf(x.path) === keyOf(path));
    const parent = path.slice(0, -1);
    const last = lastKey(path);
    if (!s) {
      if (/digest/i.test(last) && doc.byParent.has(keyOf(parent))) groupOf(parent).digestKey = last;
      continue;
    }
    claimed.add(keyOf(path));
    const siblings = doc.byParent.get(keyOf(parent)) ?? new Map<string, ScalarInfo>();
    const whole = tryParseReference(s.value);
    // A tag key may hold `tag@digest`, which would parse as a name with a digest.
    if (
      !/digest|tag/i.test(last) &&
      typeof whole !== 'string' &&
      (whole.name.includes('/') || whole.tag !== undefined || whole.digest !== undefined) &&
      !siblingName(siblings)
    ) {
      out.push({ ...stringRef(doc, 'helm', s)!, where: formatPath(path), byHelmKey: true });
      continue;
    }
    const group = groupOf(parent);
    if (/digest/i.test(last)) {
      group.digest = s;
      group.digestKey = last;
    } else group.tag = s;
  }
  for (const { parent, tag, digest, digestKey } of named.values()) {
    const siblings = doc.byParent.get(keyOf(parent)) ?? new Map<string, ScalarInfo>();
    // A key the user named is the image asked for, whatever its block's name says (the name is
    // only shown); the helm-key input exists for layouts the name matching cannot read.
    const name = blockName(siblings, registry) || image;
    const t = tag ?? siblings.get('tag');
    const d = digest ?? (digestKey === undefined ? siblings.get('digest') : undefined);
    const anchor = tag ?? digest ?? t;
    if (!name || !anchor) continue;
    const lastOf = (x: ScalarInfo | undefined, fallback: string) => (x ? lastKey(x.path) : fallback);
    const f = fieldsRef(doc, parent, name, t, lastOf(t, 'tag'), d, digestKey ?? lastOf(d, 'digest'), anchor);
    if (t) claimed.add(keyOf(t.path));
    out.push({ ...f, byHelmKey: true, ...(digestKey !== undefined ? { digestKeyNamed: true } : {}) });
  }
  for (const [parentKey, siblings] of doc.byParent) {
    const parent = JSON.parse(parentKey) as PathSegment[];
    const name = siblingName(siblings);
    if (!name) continue;
    const tag = siblings.get('tag');
    const digest = siblings.get('digest');
    const isImageBlock =
      parent[parent.length - 1] === 'image' || tag !== undefined || digest !== undefined || siblings.has('registry');
    if (!isImageBlock || (tag && claimed.has(keyOf(tag.path))) || (digest && claimed.has(keyOf(digest.path)))) continue;
    const f = fieldsRef(doc, parent, blockName(siblings, registry), tag, 'tag', digest, 'digest', name);
    if (typeof tryParseReference(f.ref.name) !== 'string' && !f.ref.name.includes(':') && !f.ref.name.includes('@'))
      out.push(f);
  }
  for (const s of doc.scalars) {
    if (s.path[s.path.length - 1] !== 'image' || claimed.has(keyOf(s.path))) continue;
    const siblings = doc.byParent.get(keyOf(s.path.slice(0, -1)));
    if (siblings && siblingName(siblings) === s) continue; // `image:` as the name field of a block
    const f = stringRef(doc, 'helm', s);
    if (f) out.push(f);
  }
  return dedupe(out);
}

/** The field naming the repository in an image block: `repository`, or `image` beside `registry`/`tag`/`digest` (ingress-nginx). */
function siblingName(siblings: ReadonlyMap<string, ScalarInfo>): ScalarInfo | undefined {
  const repository = siblings.get('repository');
  if (repository && repository.value !== '') return repository;
  const image = siblings.get('image');
  if (image && image.value !== '' && (siblings.has('registry') || siblings.has('tag') || siblings.has('digest')))
    return image;
  return undefined;
}

/**
 * The block's repository with its registry: the block's own `registry`, else the one the chart
 * sets once for all images (`global.image.registry`, `global.imageRegistry`), unless the name
 * already starts with a registry host.
 */
function blockName(siblings: ReadonlyMap<string, ScalarInfo>, globalRegistry: string | undefined): string {
  const name = siblingName(siblings)?.value ?? '';
  const registry = nonEmpty(siblings.get('registry')?.value) ?? (hasRegistryHost(name) ? undefined : globalRegistry);
  return registry && name ? `${registry.replace(/\/+$/, '')}/${name}` : name;
}

/** The registry a chart sets for every image (ingress-nginx: `global.image.registry`; Bitnami: `global.imageRegistry`). */
function globalRegistry(doc: Doc): string | undefined {
  const nested = doc.byParent.get(keyOf(['global', 'image']))?.get('registry')?.value;
  const flat = doc.byParent.get(keyOf(['global']))?.get('imageRegistry')?.value;
  return nonEmpty(nested) ?? nonEmpty(flat);
}

function fieldsRef(
  doc: Doc,
  parent: PathSegment[],
  name: string,
  tag: ScalarInfo | undefined,
  tagKey: string,
  digest: ScalarInfo | undefined,
  digestKey: string,
  at: ScalarInfo,
): FoundReference {
  // `tag: v1.2@sha256:…` pins a chart that reads no digest key; a digest key, if set, wins.
  const pinned = tag ? splitPinnedTag(tag.value) : undefined;
  return {
    document: doc.index,
    format: 'helm',
    shape: 'fields',
    where: formatPath(parent) || '(root)',
    line: at.line,
    column: at.column,
    ref: {
      name,
      tag: nonEmpty(pinned ? pinned.tag : tag?.value),
      digest: nonEmpty(digest?.value) ?? nonEmpty(pinned?.digest),
    },
    parent,
    tag: { key: tagKey, field: tag && field(tag) },
    digest: { key: digestKey, field: digest && field(digest) },
    ...(pinned ? { digestOnTagLine: true } : {}),
  };
}

/** `v1.2@sha256:…` as tag and digest; undefined for a plain tag. */
function splitPinnedTag(value: string): { tag: string; digest: string } | undefined {
  const at = value.indexOf('@');
  if (at <= 0) return undefined;
  const r = tryParseReference(`x:${value}`);
  return typeof r === 'string' || r.tag === undefined || r.digest === undefined
    ? undefined
    : { tag: r.tag, digest: r.digest };
}

function dedupe(found: FoundReference[]): FoundReference[] {
  const seen = new Set<string>();
  return found.filter((f) => {
    const k = `${f.document}|${f.where}|${f.ref.name}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
