import type { S3Client } from '@aws-sdk/client-s3';
import { InputError, ServiceError } from '@mlflow-actions/action-kit/errors';
import { mapLimit } from '@mlflow-actions/action-kit/concurrency';
import { silentLogger, type Logger } from '@mlflow-actions/action-kit/log';
import { plainHttpCredentialsProblem } from '@mlflow-actions/action-kit/url-safety';
import { cacheControlFor, contentTypeFor, NO_CACHE, parseCacheRules } from './cache-control.js';
import { closeS3Client, createS3Client, type S3ConnectionOptions } from './client.js';
import {
  buildManifest,
  headChecksums,
  MANIFEST_NAME,
  readStored,
  sameFiles,
  VERSION_NAME,
  type Manifest,
} from './remote.js';
import { applyManifest, deleteKeys, keyFor, needHead, plan, type PlannedAction } from './sync.js';
import {
  bufferedBytes,
  DEFAULT_PART_SIZE,
  DEFAULT_QUEUE_SIZE,
  DEFAULT_WHOLE_FILE_MAX,
  isStreamed,
  openStreamed,
  putSmall,
  uploadFile,
  type StreamedSource,
} from './upload.js';
import {
  artifactVersionProblem,
  bucketNameProblem,
  defaultArtifactVersion,
  normalizePrefix,
  parseConcurrency,
} from './validate.js';
import { BufferPool, hashFiles, SMALL_FILE, walkSourceDir, type LocalFile } from './walk.js';

/**
 * Publishes source-dir to s3://bucket/prefix/<artifact-version>/ so that the version appears all
 * at once: every file first, then manifest.json (key, size, SHA-256 of each file), then VERSION.
 * A reader that waits for VERSION never sees a partial version, and a run killed half-way leaves
 * no VERSION, so a rerun completes it (sending only what is missing or different).
 */

export interface PublishOptions extends S3ConnectionOptions {
  sourceDir: string;
  bucket: string;
  /** Key prefix under which versions live; default "model-viewer". "" for the bucket root. */
  prefix?: string;
  /** Defaults to `<model.name>-<model.version>-<unix seconds>`, made safe for keys and YAML. */
  artifactVersion?: string;
  model?: { name: string; version: string | number };
  /** `glob=value` lines (or an array of them) checked before the default cache rules. */
  cacheControl?: string | readonly string[];
  /** Replace a version that already has a VERSION object. */
  overwrite?: boolean;
  /** Treat the version path as mutable: upload what changed, delete what source-dir no longer has. */
  delete?: boolean;
  dryRun?: boolean;
  exclude?: readonly string[];
  /** Part size in bytes of a streamed file (>= 5 MiB; default 5 MiB) and parts in flight per file (default 4). */
  partSize?: number;
  queueSize?: number;
  /**
   * Bytes that uploads may hold in memory at once (file bodies and multipart parts in flight;
   * default 128 MiB). A file needing more than is left waits; one file always proceeds.
   */
  memoryBudget?: number;
  logger?: Logger;
  /** A ready client (tests, or a caller that shares one); not destroyed afterwards. */
  client?: S3Client;
  now?: () => Date;
}

export type PublishAction =
  PlannedAction | { type: 'write-manifest' | 'write-version'; key: string; size: number; reason: string };

export interface PublishResult {
  artifactVersion: string;
  bucket: string;
  /** Key prefix of the version, ending in "/". */
  versionPrefix: string;
  s3Uri: string;
  filesUploaded: number;
  bytesUploaded: number;
  filesSkipped: number;
  filesDeleted: number;
  filesTotal: number;
  bytesTotal: number;
  excluded: string[];
  durationMs: number;
  dryRun: boolean;
  /** Whether VERSION was written with a conditional (If-None-Match) PUT. */
  conditionalWrite: boolean;
  actions: PublishAction[];
  /** The action outputs, named as in the contract. */
  outputs: { 'artifact-version': string; 's3-uri': string; 'files-uploaded': string; 'bytes-uploaded': string };
}

/** S3's minimum size of a part (all but the last). */
const MIN_PART_SIZE = 5 * 1024 * 1024;
const DEFAULT_MEMORY_BUDGET = 128 * 1024 * 1024;

/** Waits until `n` bytes fit under the limit (or nothing else holds any); returns the release. */
class ByteBudget {
  private used = 0;
  private waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async take(n: number): Promise<() => void> {
    while (this.used > 0 && this.used + n > this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.used += n;
    return () => {
      this.used -= n;
      for (const wake of this.waiting.splice(0)) wake();
    };
  }
}

function validate(
  o: PublishOptions,
  now: Date,
): { prefix: string; version: string; concurrency: number; rules: ReturnType<typeof parseCacheRules>['rules'] } {
  const problems: string[] = [];
  const bucketProblem = bucketNameProblem(o.bucket);
  if (bucketProblem) problems.push(bucketProblem);
  const p = normalizePrefix(o.prefix ?? 'model-viewer');
  if (p.problem) problems.push(p.problem);
  let version = '';
  if (o.artifactVersion !== undefined && o.artifactVersion !== '') {
    version = o.artifactVersion;
    const vp = artifactVersionProblem(version);
    if (vp) problems.push(vp);
  } else if (o.model?.name && o.model.version !== '') {
    version = defaultArtifactVersion(o.model.name, o.model.version, now);
    if (!version) problems.push('the default artifact-version came out empty; set artifact-version');
  } else {
    problems.push('artifact-version is not set and there is no model name/version to derive it from');
  }
  const c = parseConcurrency(o.concurrency);
  if (c.problem) problems.push(c.problem);
  const { rules, problems: ruleProblems } = parseCacheRules(o.cacheControl);
  problems.push(...ruleProblems);
  if (o.partSize !== undefined && (!Number.isInteger(o.partSize) || o.partSize < MIN_PART_SIZE))
    problems.push(`partSize must be at least ${MIN_PART_SIZE} bytes (5 MiB, S3's minimum part size)`);
  if (o.overwrite && o.delete)
    problems.push('overwrite and delete are exclusive: delete already treats the version path as mutable');
  // SigV4 never sends the secret key, but the session token travels in a header and a signed
  // request can be replayed: plain http is for a store on this machine only.
  const insecure =
    o.endpoint && URL.canParse(o.endpoint)
      ? plainHttpCredentialsProblem(
          new URL(o.endpoint),
          'AWS credentials (a session token, signed requests)',
          'endpoint',
        )
      : undefined;
  if (insecure) problems.push(insecure);
  if (problems.length) throw new InputError(problems);
  return { prefix: p.prefix, version, concurrency: c.value, rules };
}

export async function publish(o: PublishOptions): Promise<PublishResult> {
  const started = Date.now();
  const log = o.logger ?? silentLogger;
  const now = o.now?.() ?? new Date();
  const { prefix, version, concurrency, rules } = validate(o, now);
  const bucket = o.bucket;
  const base = `${prefix ? `${prefix}/` : ''}${version}/`;
  const s3Uri = `s3://${bucket}/${base}`;
  const endpoint = o.endpoint;

  const { files, excluded } = await walkSourceDir(o.sourceDir, o.exclude ?? []);
  if (excluded.length) log.info(`excluded ${excluded.length} file(s) by the exclude globs`);
  for (const f of files) {
    if (f.path === MANIFEST_NAME || f.path === VERSION_NAME) {
      throw new InputError(
        `source-dir has a top-level "${f.path}", which the publisher writes itself; rename it or add it to exclude`,
      );
    }
  }
  const bytesTotal = files.reduce((n, f) => n + f.size, 0);
  log.info(`publishing ${files.length} file(s), ${bytesTotal} bytes, to ${s3Uri}${o.dryRun ? ' (dry run)' : ''}`);

  const client = o.client ?? createS3Client({ ...o, concurrency });
  try {
    const versionKey = base + VERSION_NAME;
    const manifestKey = base + MANIFEST_NAME;
    // What is stored is listed (and the previous manifest read) while the small files are hashed:
    // on a re-publish both take about as long, and neither needs the other. Hashing stops when the
    // listing is in: files with no stored counterpart are hashed as they are uploaded, from the
    // same read, so a fresh version reads most files once.
    let listed = false;
    const stored = readStored(client, bucket, base, manifestKey, endpoint).finally(() => (listed = true));
    stored.catch(() => {}); // awaited below; this only keeps a failure from counting as unhandled meanwhile
    await hashFiles(
      files.filter((f) => f.size <= SMALL_FILE),
      { concurrency, stop: () => listed },
    );
    const { remote, previous } = await stored;
    const existing = remote.get(versionKey);
    if (existing && !o.overwrite && !o.delete) {
      const when = existing.lastModified ? existing.lastModified.toISOString() : 'at an unknown time';
      throw new ServiceError(
        `artifact version "${version}" already exists at ${s3Uri} (VERSION written ${when}); ` +
          'set overwrite to replace it or publish under another artifact-version',
        409,
        'VersionExists',
      );
    }
    if (!existing && remote.size > 0)
      log.info(`${s3Uri} has ${remote.size} object(s) but no VERSION: completing an earlier, interrupted publish`);

    // Hashes of what is stored: the previous manifest covers most keys; HEAD the rest. A local
    // file is hashed now only if it may be unchanged (a stored object of the same size), or for a
    // dry run's report; the others are new or changed whatever their hash.
    applyManifest(remote, previous);
    const mayBeUnchanged = (f: LocalFile) => o.dryRun || remote.get(keyFor(base, f.path))?.size === f.size;
    await hashFiles(files.filter(mayBeUnchanged), { concurrency });
    const toHead = needHead(files, base, remote);
    if (toHead.length) await headChecksums(client, bucket, toHead, concurrency, endpoint);

    const planned = plan({ files, base, remote, compare: true, deleteGone: !!o.delete });
    const localKeys = new Set(files.map((f) => keyFor(base, f.path)));
    const stale = o.overwrite
      ? [...remote.keys()].filter((k) => k !== versionKey && k !== manifestKey && !localKeys.has(k))
      : [];
    if (stale.length)
      log.warning(
        `${stale.length} object(s) under ${s3Uri} are not in source-dir and stay in place (use delete to remove them)`,
      );

    // A file not hashed by now is new or changed in size, so the manifest changes with it; the
    // manifest written is built once every file is hashed (after the uploads). Its size does not
    // depend on the hashes (64 hex digits each), so the plan can say it before they are known.
    const manifestOf = (unknown?: string) =>
      buildManifest(
        version,
        files.map((f) => ({ key: keyFor(base, f.path), path: f.path, size: f.size, sha256: f.sha256 ?? unknown! })),
        now,
      );
    const render = (m: Manifest) => `${JSON.stringify(m, null, 2)}\n`;
    const allHashed = files.every((f) => f.sha256 !== undefined);
    const versionBody = `${version}\n`;
    const writeManifest = !allHashed || !remote.has(manifestKey) || !sameFiles(previous, manifestOf());
    const writeVersion =
      existing?.size !== Buffer.byteLength(versionBody) || writeManifest || planned.some((a) => a.type !== 'skip');
    const actions: PublishAction[] = [...planned];
    if (writeManifest) {
      const size = Buffer.byteLength(render(manifestOf('0'.repeat(64))));
      actions.push({ type: 'write-manifest', key: manifestKey, size, reason: 'lists every file with its SHA-256' });
    }
    if (writeVersion)
      actions.push({
        type: 'write-version',
        key: versionKey,
        size: Buffer.byteLength(versionBody),
        reason: 'makes the version visible',
      });

    const uploads = planned.filter((a): a is Extract<PlannedAction, { type: 'upload' }> => a.type === 'upload');
    const deletes = planned.filter((a) => a.type === 'delete').map((a) => a.key);
    let conditionalWrite = false;
    // One debug message for the whole plan: a workflow command per file is a write per file.
    if (actions.length)
      log.debug(actions.map((a) => `${o.dryRun ? 'would ' : ''}${a.type} ${a.key} (${a.reason})`).join('\n'));

    if (!o.dryRun) {
      const byPath = new Map(files.map((f) => [f.path, f]));
      const partSize = o.partSize ?? DEFAULT_PART_SIZE;
      const queueSize = o.queueSize ?? DEFAULT_QUEUE_SIZE;
      const memoryBudget = o.memoryBudget ?? DEFAULT_MEMORY_BUDGET;
      const budget = new ByteBudget(memoryBudget);
      const pool = new BufferPool(memoryBudget);
      // A file read whole must fit the budget with room to spare for the uploads beside it.
      const wholeFileMax = Math.min(DEFAULT_WHOLE_FILE_MAX, Math.floor(memoryBudget / 2));
      let done = 0;
      await mapLimit(uploads, concurrency, async (a) => {
        const f = byPath.get(a.path)!;
        // A streamed file is hashed before it holds any memory (its hash opens the upload), so
        // hashing the next one overlaps the parts of the one before it.
        let streamed: StreamedSource | undefined;
        if (f.sha256 === undefined && isStreamed(f.size, partSize, wholeFileMax)) {
          streamed = await openStreamed(f.absPath, f.size, { bucket, key: a.key });
          f.sha256 = streamed.sha256;
        }
        const release = await budget.take(bufferedBytes(f.size, partSize, queueSize, wholeFileMax));
        try {
          f.sha256 = await uploadFile({
            client,
            bucket,
            key: a.key,
            absPath: f.absPath,
            size: f.size,
            sha256: f.sha256,
            contentType: contentTypeFor(f.path),
            cacheControl: cacheControlFor(f.path, rules),
            partSize,
            queueSize,
            wholeFileMax,
            pool,
            streamed,
            endpoint,
          });
        } finally {
          release();
        }
        done++;
        if (f.size >= MIN_PART_SIZE || done === uploads.length)
          log.info(`uploaded ${done}/${uploads.length}: ${f.path}`);
      });
      if (writeManifest) {
        await putSmall({
          client,
          bucket,
          key: manifestKey,
          body: render(manifestOf()),
          contentType: 'application/json; charset=utf-8',
          cacheControl: NO_CACHE,
          endpoint,
        });
      }
      if (writeVersion) {
        const outcome = await putSmall({
          client,
          bucket,
          key: versionKey,
          body: versionBody,
          contentType: 'text/plain; charset=utf-8',
          cacheControl: NO_CACHE,
          ifNoneMatch: !existing,
          endpoint,
        });
        if (outcome === 'exists') {
          throw new ServiceError(
            `artifact version "${version}" was published by another run while this one was uploading (${s3Uri}); ` +
              'publish under another artifact-version',
            412,
            'VersionExists',
          );
        }
        conditionalWrite = outcome === 'written';
        if (outcome === 'written-unconditionally')
          log.warning('the store does not support conditional writes; VERSION was written without If-None-Match');
      }
      // Deleted last: readers of the new manifest never miss a file, readers of the old one keep
      // theirs until the new version is in place.
      if (deletes.length) await deleteKeys(client, bucket, deletes, endpoint);
    }

    const bytesUploaded = uploads.reduce((n, a) => n + a.size, 0);
    const result: PublishResult = {
      artifactVersion: version,
      bucket,
      versionPrefix: base,
      s3Uri,
      filesUploaded: uploads.length,
      bytesUploaded,
      filesSkipped: planned.filter((a) => a.type === 'skip').length,
      filesDeleted: deletes.length,
      filesTotal: files.length,
      bytesTotal,
      excluded,
      durationMs: Date.now() - started,
      dryRun: !!o.dryRun,
      conditionalWrite,
      actions,
      outputs: {
        'artifact-version': version,
        's3-uri': s3Uri,
        'files-uploaded': String(uploads.length),
        'bytes-uploaded': String(bytesUploaded),
      },
    };
    log.info(
      `${o.dryRun ? 'dry run: would upload' : 'uploaded'} ${result.filesUploaded} file(s) (${bytesUploaded} bytes), ` +
        `skipped ${result.filesSkipped} unchanged, deleted ${result.filesDeleted} in ${result.durationMs} ms: ${s3Uri}`,
    );
    return result;
  } finally {
    if (!o.client) closeS3Client(client);
  }
}
