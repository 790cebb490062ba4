import type { Logger } from '@mlflow-actions/action-kit/log';
import type { MlflowClient } from '../client.js';
import type { ModelVersion } from '../types.js';
import { downloadArtifacts, type DownloadResult } from './download.js';
import { loggedModelOfRun, resolveArtifactLocation, versionArtifactUri, type ArtifactLocation } from './location.js';
import { ProxyArtifactStore } from './proxy-store.js';
import type { S3SourceOptions } from './s3-store.js';
import type { ArtifactStore } from './store.js';

export {
  downloadArtifacts,
  DownloadDirError,
  formatBytes,
  type DownloadResult,
  type RetrySchedule,
} from './download.js';
export {
  loggedModelOfRun,
  resolveArtifactLocation,
  versionArtifactUri,
  type ArtifactLocation,
  type ResolvedLocation,
} from './location.js';
export { ProxyArtifactStore } from './proxy-store.js';
export { downloadDirProblem } from './dest.js';
export type { S3SourceOptions } from './s3-store.js';
export type { ArtifactFile, ArtifactStore } from './store.js';

export interface ModelDownloadOptions {
  /** The registered version whose files to fetch, or an artifact URI (runs:/, models:/, mlflow-artifacts:/, s3://). */
  from: { version: ModelVersion } | { uri: string };
  dest: string;
  concurrency?: number;
  /** Size of the ranges a large file is fetched in (default 16 MiB). */
  partBytes?: number;
  /** How to reach S3 when the files are there (credentials: the SDK's default chain). */
  s3?: S3SourceOptions;
  logger?: Logger;
  signal?: AbortSignal;
}

export interface ModelDownloadResult extends DownloadResult {
  /** The URI the files were read from, after following runs:/ and models:/. */
  location: ArtifactLocation;
}

/**
 * Downloads a model's files as `mlflow artifacts download` would lay them out (the model's root
 * becomes `dest`), through the tracking server's artifact proxy with the client's credentials,
 * TLS and retries, or straight from S3 when that is where the registry points.
 */
export async function downloadModelArtifacts(
  client: MlflowClient,
  opts: ModelDownloadOptions,
): Promise<ModelDownloadResult> {
  const uri = 'uri' in opts.from ? opts.from.uri : await versionArtifactUri(client, opts.from.version);
  const resolved = await resolveArtifactLocation(client, uri);
  let location = resolved.location;
  let store = await openStore(client, location, opts);
  try {
    let files = await store.list(opts.signal);
    if (files.length === 0 && resolved.viaRun) {
      const logged = await loggedModelOfRun(client, resolved.viaRun.runId, resolved.viaRun.path);
      if (logged) {
        store.close();
        location = (await resolveArtifactLocation(client, logged)).location;
        store = await openStore(client, location, opts);
        files = await store.list(opts.signal);
      }
    }
    const policy = client.transport.retryPolicy;
    const result = await downloadArtifacts({
      store,
      files,
      dest: opts.dest,
      concurrency: opts.concurrency,
      partBytes: opts.partBytes,
      logger: opts.logger,
      signal: opts.signal,
      retry: {
        maxRetries: policy.maxRetries,
        timeoutMs: policy.timeoutMs,
        wait: (attempt, why) => client.transport.waitBeforeRetry(attempt, why, client.baseUrl),
      },
    });
    return { ...result, location };
  } finally {
    store.close();
  }
}

async function openStore(
  client: MlflowClient,
  location: ArtifactLocation,
  opts: ModelDownloadOptions,
): Promise<ArtifactStore> {
  if (location.kind === 'proxy') return new ProxyArtifactStore(client, location.path, location.uri);
  // Loaded only for S3 sources: the SDK is most of the bundle and most runs never need it.
  const { S3ArtifactStore } = await import('./s3-store.js');
  return new S3ArtifactStore(location.bucket, location.key, location.uri, {
    concurrency: opts.concurrency,
    ...opts.s3,
  });
}
