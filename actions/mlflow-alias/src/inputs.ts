import { InputReader, type Env } from '@mlflow-actions/action-kit/inputs';
import {
  checkAliasName,
  mlflowSecrets,
  readMlflowConnection,
  readVersion,
  type MlflowConnection,
} from '@mlflow-actions/mlflow-client/connection-inputs';

export interface Inputs {
  connection: MlflowConnection;
  modelName: string;
  alias: string;
  /** set: point `alias` at `version` (recording the old one under previousAlias); delete: remove it. */
  operation: { kind: 'set'; version: string; previousAlias: string | undefined } | { kind: 'delete' };
  dryRun: boolean;
}

export function secretsOf(env: Env): string[] {
  const r = new InputReader(env);
  return mlflowSecrets(r, env);
}

export function parseInputs(env: Env): Inputs {
  const r = new InputReader(env);
  const connection = readMlflowConnection(r, env, { required: true });
  const modelName = r.required('model-name', 'the registered model name, as shown in the MLflow UI');
  const alias = r.required('alias', 'the alias to set, move or delete (e.g. staging-approved)');
  if (alias) checkAliasName(r, 'alias', alias);
  const remove = r.boolean('delete', false);
  const rawVersion = r.optional('model-version');
  const previousAlias = r.optional('previous-alias');
  let operation: Inputs['operation'] = { kind: 'delete' };
  if (remove) {
    if (rawVersion)
      r.problem("inputs 'delete' and 'model-version' conflict: delete the alias, or move it to a version");
    if (previousAlias) r.problem("input 'previous-alias' applies only when moving an alias, not with 'delete: true'");
  } else if (!rawVersion) {
    r.problem("input 'model-version' is required (the version the alias should name), or set 'delete: true'");
  } else {
    if (previousAlias) {
      checkAliasName(r, 'previous-alias', previousAlias);
      if (previousAlias === alias) r.problem("input 'previous-alias' must differ from 'alias'");
    }
    operation = { kind: 'set', version: readVersion(r, 'model-version', rawVersion), previousAlias };
  }
  const dryRun = r.boolean('dry-run', false);
  r.done();
  return { connection: connection!, modelName, alias, operation, dryRun };
}
