import { ActionError } from '@mlflow-actions/action-kit/errors';
import { silentLogger, type Logger } from '@mlflow-actions/action-kit/log';
import { MlflowApiError, type MlflowClient } from './client.js';
import type { RegisteredModel } from './types.js';

/** Which version each alias names, read from the registered model (aliases: [{alias, version}]). */
export async function aliasesOf(client: MlflowClient, name: string): Promise<Record<string, string>> {
  let model: RegisteredModel;
  try {
    model = await client.getRegisteredModel(name);
  } catch (e) {
    if (e instanceof MlflowApiError && e.code === 'RESOURCE_DOES_NOT_EXIST') {
      throw new ActionError(`MLflow has no registered model '${name}': check input 'model-name'`);
    }
    throw e;
  }
  const out: Record<string, string> = {};
  for (const a of model.aliases ?? []) if (a.alias && a.version !== undefined) out[a.alias] = a.version;
  return out;
}

export async function setAlias(client: MlflowClient, name: string, alias: string, version: string): Promise<void> {
  try {
    await client.post('registered-models/alias', { name, alias, version });
  } catch (e) {
    if (e instanceof MlflowApiError && e.code === 'RESOURCE_DOES_NOT_EXIST') {
      throw new ActionError(`MLflow model '${name}' has no version ${version}: check input 'model-version'`);
    }
    throw e;
  }
}

export async function deleteAlias(client: MlflowClient, name: string, alias: string): Promise<void> {
  await client.delete('registered-models/alias', { name, alias });
}

export interface AliasMove {
  alias: string;
  /** The version that held `alias` before (undefined: the alias was new). */
  previousVersion: string | undefined;
  version: string;
  changed: boolean;
  /** Set when `previousAlias` was given and moved to previousVersion. */
  previousAlias?: { alias: string; before: string | undefined; after: string | undefined };
}

export interface MoveAliasOptions {
  name: string;
  alias: string;
  version: string;
  /** First point this alias at the version that held `alias`, so a rollback knows where to go. */
  previousAlias?: string;
  dryRun?: boolean;
  logger?: Logger;
}

/**
 * Moves `alias` to `version`; with `previousAlias`, first points that at the version `alias` held. An alias
 * already on `version` changes nothing (running a promotion twice keeps previousAlias where it was).
 */
export async function moveAlias(client: MlflowClient, opts: MoveAliasOptions): Promise<AliasMove> {
  const log = opts.logger ?? silentLogger;
  if (opts.previousAlias && opts.previousAlias === opts.alias) {
    throw new ActionError(`input 'previous-alias' must differ from the alias it records ('${opts.alias}')`);
  }
  const before = await aliasesOf(client, opts.name);
  const previousVersion = before[opts.alias];
  const move: AliasMove = {
    alias: opts.alias,
    previousVersion,
    version: opts.version,
    changed: previousVersion !== opts.version,
  };
  if (!move.changed) {
    log.info(`alias '${opts.alias}' of '${opts.name}' already names version ${opts.version}: nothing to move`);
    return move;
  }
  if (opts.previousAlias) {
    const was = before[opts.previousAlias];
    // A new alias has no previous version to record: the previous alias is left as it was.
    const now = previousVersion ?? was;
    move.previousAlias = { alias: opts.previousAlias, before: was, after: now };
    if (previousVersion !== undefined && was !== previousVersion) {
      log.info(`${verb(opts.dryRun)} alias '${opts.previousAlias}' of '${opts.name}' to version ${previousVersion}`);
      if (!opts.dryRun) await setAlias(client, opts.name, opts.previousAlias, previousVersion);
    }
  }
  log.info(
    `${verb(opts.dryRun)} alias '${opts.alias}' of '${opts.name}' ` +
      `from ${previousVersion ?? '(none)'} to version ${opts.version}`,
  );
  if (!opts.dryRun) await setAlias(client, opts.name, opts.alias, opts.version);
  return move;
}

/** The registry rollback: `alias` goes back to the version `previousAlias` holds. */
export async function rollbackAlias(
  client: MlflowClient,
  opts: { name: string; alias: string; previousAlias: string; dryRun?: boolean; logger?: Logger },
): Promise<AliasMove> {
  const before = await aliasesOf(client, opts.name);
  const target = before[opts.previousAlias];
  if (target === undefined) {
    throw new ActionError(
      `MLflow model '${opts.name}' has no alias '${opts.previousAlias}' to roll back to: check input 'previous-alias'`,
    );
  }
  const current = before[opts.alias];
  const log = opts.logger ?? silentLogger;
  log.info(
    `${verb(opts.dryRun)} alias '${opts.alias}' of '${opts.name}' ` +
      `back from ${current ?? '(none)'} to version ${target}`,
  );
  if (current !== target && !opts.dryRun) await setAlias(client, opts.name, opts.alias, target);
  return { alias: opts.alias, previousVersion: current, version: target, changed: current !== target };
}

function verb(dryRun: boolean | undefined): string {
  return dryRun ? 'would move' : 'moving';
}
