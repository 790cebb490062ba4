import { ServiceError } from '@mlflow-actions/action-kit/errors';
import { MlflowApiError, type MlflowClient } from './client.js';
import { closestNames } from './similar.js';
import type { ModelVersion, RegisteredModel } from './types.js';

export type VersionRef =
  { kind: 'version'; version: string } | { kind: 'alias'; alias: string } | { kind: 'stage'; stage: string };

export const STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;

export interface Resolved {
  registeredModel: RegisteredModel;
  modelVersion: ModelVersion;
}

const notFound = (e: unknown): boolean => e instanceof MlflowApiError && e.code === 'RESOURCE_DOES_NOT_EXIST';

/**
 * Finds the model version a workflow names, by number, alias or legacy stage. The registered
 * model is read in parallel with the version (one round trip, not two), and every miss is
 * answered with what does exist, so the user can fix the input without opening the UI.
 */
export async function resolveModelVersion(client: MlflowClient, name: string, ref: VersionRef): Promise<Resolved> {
  const modelP = client.getRegisteredModel(name);
  // Only the version and alias lookups can run beside the model lookup; a stage needs the model.
  const versionP: Promise<ModelVersion> | undefined =
    ref.kind === 'version'
      ? client.getModelVersion(name, ref.version)
      : ref.kind === 'alias'
        ? client.getModelVersionByAlias(name, ref.alias)
        : undefined;
  versionP?.catch(() => undefined); // handled below, after we know whether the model exists

  let registeredModel: RegisteredModel;
  try {
    registeredModel = await modelP;
  } catch (e) {
    if (notFound(e)) throw await unknownModel(client, name);
    throw e;
  }

  let modelVersion: ModelVersion;
  if (ref.kind === 'stage') {
    modelVersion = await byStage(client, name, ref.stage, registeredModel);
  } else {
    try {
      modelVersion = await versionP!;
    } catch (e) {
      if (ref.kind === 'version' && notFound(e)) throw await unknownVersion(client, name, ref.version);
      if (ref.kind === 'alias' && e instanceof MlflowApiError) {
        if (e.code === 'ENDPOINT_NOT_FOUND') {
          throw new ServiceError(
            `this MLflow server does not support aliases (added in MLflow 2.3): use model-version or model-stage instead of model-alias`,
          );
        }
        // The server says INVALID_PARAMETER_VALUE ("alias ... not found"), or 404 on some versions.
        if (e.code === 'INVALID_PARAMETER_VALUE' || notFound(e)) throw unknownAlias(name, ref.alias, registeredModel);
      }
      throw e;
    }
  }
  checkStatus(name, modelVersion);
  return { registeredModel, modelVersion };
}

async function byStage(
  client: MlflowClient,
  name: string,
  stage: string,
  model: RegisteredModel,
): Promise<ModelVersion> {
  // registered-models/get carries the latest version of each stage; older or trimmed servers may
  // leave it out, then the (deprecated but still served) get-latest-versions call answers.
  const latest = model.latest_versions ?? (await client.getLatestVersions(name, [...STAGES]));
  const hit = latest.find((v) => (v.current_stage ?? 'None').toLowerCase() === stage.toLowerCase());
  if (!hit?.version) {
    const inUse = latest
      .filter((v) => v.current_stage && v.current_stage !== 'None')
      .map((v) => `${v.current_stage} (version ${v.version})`);
    throw new ServiceError(
      `model '${name}' has no version in stage '${stage}'; ` +
        (inUse.length ? `stages in use: ${inUse.join(', ')}` : 'no version is in any stage') +
        ' (stages are deprecated in MLflow 3: prefer model-alias)',
    );
  }
  // latest_versions entries lack aliases and some fields: read the full version.
  return client.getModelVersion(name, hit.version);
}

async function unknownModel(client: MlflowClient, name: string): Promise<Error> {
  let names: string[] = [];
  try {
    names = await client.listRegisteredModelNames();
  } catch {
    // Suggestions are a courtesy; a server that refuses the search still gets the plain message.
  }
  const close = closestNames(name, names);
  const hint = close.length
    ? `closest existing names: ${close.map((n) => `'${n}'`).join(', ')}`
    : names.length
      ? `no similar name among the ${names.length} registered models`
      : 'the registry has no registered models';
  return new ServiceError(`model '${name}' not found in the MLflow registry; ${hint}`);
}

async function unknownVersion(client: MlflowClient, name: string, version: string): Promise<Error> {
  let versions: string[] = [];
  try {
    versions = await client.listVersions(name);
  } catch {
    // as above
  }
  const shown =
    versions.length > 20 ? `${versions.slice(0, 20).join(', ')}, … (${versions.length} in all)` : versions.join(', ');
  const list = versions.length ? `existing versions: ${shown}` : 'the model has no versions yet';
  return new ServiceError(`model '${name}' has no version ${version}; ${list}`);
}

function unknownAlias(name: string, alias: string, model: RegisteredModel): Error {
  const aliases = (model.aliases ?? []).filter((a) => a.alias).map((a) => `'${a.alias}' (version ${a.version})`);
  return new ServiceError(
    `model '${name}' has no alias '${alias}'; ${aliases.length ? `its aliases: ${aliases.join(', ')}` : 'it has no aliases'}`,
  );
}

function checkStatus(name: string, v: ModelVersion): void {
  const status = v.status ?? 'READY';
  if (status === 'PENDING_REGISTRATION') {
    throw new ServiceError(
      `model '${name}' version ${v.version} is still PENDING_REGISTRATION: wait until its registration finishes, then run again`,
    );
  }
  if (status === 'FAILED_REGISTRATION') {
    const why = v.status_message ? ` (${v.status_message})` : '';
    throw new ServiceError(
      `model '${name}' version ${v.version} is FAILED_REGISTRATION${why}: register the model again and deploy the new version`,
    );
  }
}
