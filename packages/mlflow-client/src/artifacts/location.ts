import { ServiceError } from '@mlflow-actions/action-kit/errors';
import { MlflowApiError, type MlflowClient } from '../client.js';
import type { ModelVersion } from '../types.js';

/**
 * Where a model's files are, in a form the runner can read: behind the tracking server's artifact
 * proxy (a path under its artifact root), or straight in S3.
 */
export type ArtifactLocation =
  { kind: 'proxy'; path: string; uri: string } | { kind: 's3'; bucket: string; key: string; uri: string };

const PROXY_ROUTE = '/api/2.0/mlflow-artifacts/artifacts';
const MAX_HOPS = 5; // runs:/ -> mlflow-artifacts:/, models:/ -> logged model -> ..., never a loop

/**
 * The artifact URI of a registered version, as MLflow's own download reads it: the registry's
 * download URI (3.x stores a logged model's location there for `models:/m-…` sources), else the
 * version's source.
 */
export async function versionArtifactUri(client: MlflowClient, mv: ModelVersion): Promise<string> {
  if (mv.name && mv.version) {
    try {
      const res = await client.get<{ artifact_uri?: string }>('model-versions/get-download-uri', {
        name: mv.name,
        version: mv.version,
      });
      if (res.artifact_uri) return res.artifact_uri;
    } catch (e) {
      // Older servers lack the endpoint; the source is what they would have answered.
      if (!(e instanceof MlflowApiError && e.code === 'ENDPOINT_NOT_FOUND')) throw e;
    }
  }
  if (!mv.source) throw new ServiceError(`model version ${mv.version ?? '?'} of '${mv.name}' has no source URI`);
  return mv.source;
}

/** A location, and the last `runs:/` URI followed to reach it (MLflow 3 may keep those files elsewhere). */
export interface ResolvedLocation {
  location: ArtifactLocation;
  viaRun?: { runId: string; path: string };
}

/** Follows `runs:/`, `models:/` and proxy URIs to a location the runner can read. */
export async function resolveArtifactLocation(client: MlflowClient, uri: string): Promise<ResolvedLocation> {
  let current = uri;
  let viaRun: ResolvedLocation['viaRun'];
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const run = /^runs:\/+([^/]+)\/?(.*)$/.exec(current);
    if (run) viaRun = { runId: run[1]!, path: run[2]!.replace(/\/+$/, '') };
    const next = await step(client, current);
    if (typeof next !== 'string') return { location: next, viaRun };
    current = next;
  }
  throw new ServiceError(`artifact URI '${uri}' points through more than ${MAX_HOPS} indirections`);
}

/**
 * MLflow 3's `log_model(name=...)` inside a run stores the files as a logged model, not as run
 * artifacts, and `runs:/<run_id>/<name>/…` still names them: the artifact URI of the logged model
 * of that name whose source run is this one (what MLflow's RunsArtifactRepository looks up).
 */
export async function loggedModelOfRun(client: MlflowClient, runId: string, path: string): Promise<string | undefined> {
  const [name, ...rest] = path.split('/');
  if (!name) return undefined;
  const experimentId = (await client.getRun(runId)).info?.experiment_id;
  if (!experimentId) return undefined;
  interface Page {
    models?: { info?: { source_run_id?: string; artifact_uri?: string } }[];
    next_page_token?: string;
  }
  let token: string | undefined;
  do {
    let page: Page;
    try {
      page = await client.post<Page>('logged-models/search', {
        experiment_ids: [experimentId],
        filter: `name = ${quoteSql(name)}`,
        page_token: token,
      });
    } catch (e) {
      if (e instanceof MlflowApiError && e.code === 'ENDPOINT_NOT_FOUND') return undefined; // before MLflow 3
      throw e;
    }
    const match = page.models?.find((m) => m.info?.source_run_id === runId && m.info.artifact_uri);
    if (match) return join(match.info!.artifact_uri!, rest.join('/'));
    token = page.next_page_token || undefined;
  } while (token);
  return undefined;
}

/** MLflow's search filters quote with single quotes; a quote inside is doubled, as in SQL. */
function quoteSql(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

async function step(client: MlflowClient, uri: string): Promise<ArtifactLocation | string> {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'runs':
      return fromRun(client, uri);
    case 'models':
      return fromModelsUri(client, uri);
    case 'mlflow-artifacts':
      return fromProxyUri(client, uri);
    case 'http':
    case 'https':
      return fromHttp(client, uri);
    case 's3':
      return fromS3(uri);
    case undefined:
    case 'file':
      throw new ServiceError(
        `the model's artifacts are at '${uri}', a path on the MLflow server's own disk that the runner cannot read: ` +
          `run the server with --artifacts-destination (the artifact proxy) or store artifacts in S3`,
      );
    default:
      throw new ServiceError(
        `the model's artifacts are at '${uri}': '${scheme}:' stores are not supported; ` +
          `serve them through MLflow's artifact proxy (mlflow-artifacts:) or store them in S3`,
      );
  }
}

/** `runs:/<run_id>/<path>`: the run's artifact root, then the path inside it. */
async function fromRun(client: MlflowClient, uri: string): Promise<string> {
  const m = /^runs:\/+([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new ServiceError(`'${uri}' is not a runs:/<run_id>/<path> URI`);
  const run = await client.getRun(m[1]!);
  const root = run.info?.artifact_uri;
  if (!root) throw new ServiceError(`run ${m[1]} has no artifact URI`);
  return join(root, m[2]!);
}

/**
 * `models:/m-<id>[/<path>]` names an MLflow 3 logged model; `models:/<name>/<version>` and
 * `models:/<name>@<alias>` a registered version.
 */
async function fromModelsUri(client: MlflowClient, uri: string): Promise<string> {
  const rest = uri.replace(/^models:\/+/, '');
  const logged = /^(m-[0-9a-zA-Z]+)(?:\/(.*))?$/.exec(rest);
  if (logged) {
    const res = await client.get<{ model?: { info?: { artifact_uri?: string } } }>(
      `logged-models/${encodeURIComponent(logged[1]!)}`,
      {},
    );
    const root = res.model?.info?.artifact_uri;
    if (!root) throw new ServiceError(`logged model ${logged[1]} has no artifact URI`);
    return join(root, logged[2] ?? '');
  }
  const alias = /^([^/]+)@([^/]+)$/.exec(rest);
  if (alias) {
    const mv = await client.getModelVersionByAlias(decodeURIComponent(alias[1]!), alias[2]!);
    return versionArtifactUri(client, mv);
  }
  const version = /^([^/]+)\/(\d+)$/.exec(rest);
  if (version) return versionArtifactUri(client, { name: decodeURIComponent(version[1]!), version: version[2] });
  throw new ServiceError(
    `'${uri}' is not a models:/ URI this action reads (models:/m-<id>, /<name>/<version>, /<name>@<alias>)`,
  );
}

/** `mlflow-artifacts:/path` (this server) or `mlflow-artifacts://host:port/path` (must be this server). */
function fromProxyUri(client: MlflowClient, uri: string): ArtifactLocation {
  const m = /^mlflow-artifacts:(?:\/\/([^/]*))?(\/.*)?$/i.exec(uri);
  if (!m) throw new ServiceError(`'${uri}' is not an mlflow-artifacts: URI`);
  if (m[1] && m[1] !== client.baseUrl.host) {
    // Credentials go only to the tracking server they were given for.
    throw new ServiceError(
      `the model's artifacts are served by ${m[1]}, not by the tracking server ${client.baseUrl.host}`,
    );
  }
  return { kind: 'proxy', path: relative(decodeURIComponent(m[2] ?? '/')), uri };
}

/** An http(s) URL of this server's artifact proxy route. */
function fromHttp(client: MlflowClient, uri: string): ArtifactLocation {
  const url = new URL(uri);
  const at = url.pathname.indexOf(PROXY_ROUTE);
  if (url.origin !== client.baseUrl.origin || at < 0) {
    throw new ServiceError(`the model's artifacts are at '${uri}', which is not this tracking server's artifact proxy`);
  }
  return { kind: 'proxy', path: relative(decodeURIComponent(url.pathname.slice(at + PROXY_ROUTE.length))), uri };
}

function fromS3(uri: string): ArtifactLocation {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(uri);
  if (!m) throw new ServiceError(`'${uri}' is not an s3://<bucket>/<key> URI`);
  return { kind: 's3', bucket: m[1]!, key: m[2]!.replace(/\/+$/, ''), uri };
}

function join(root: string, path: string): string {
  const p = path.replace(/^\/+|\/+$/g, '');
  return p ? `${root.replace(/\/+$/, '')}/${p}` : root;
}

/** A path under the proxy's root: no leading or trailing slash, and never out of the root. */
function relative(path: string): string {
  const parts = path.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.includes('..')) throw new ServiceError(`artifact path '${path}' leaves the artifact root`);
  return parts.join('/');
}
