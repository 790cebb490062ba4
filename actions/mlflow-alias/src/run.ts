import { appendSummary, group, info, setOutput, runnerLogger } from '@mlflow-actions/action-kit/runner';
import { mdCode, mdTable } from '@mlflow-actions/action-kit/markdown';
import { MlflowClient } from '@mlflow-actions/mlflow-client';
import { aliasesOf, deleteAlias, moveAlias } from '@mlflow-actions/mlflow-client/aliases';
import type { Inputs } from './inputs.js';

export async function run(inputs: Inputs): Promise<void> {
  const c = inputs.connection;
  const client = new MlflowClient({
    trackingUri: c.trackingUri,
    auth: c.auth,
    tls: c.tls,
    retry: c.retry,
    logger: runnerLogger,
  });
  try {
    const op = inputs.operation;
    const rows: string[][] = [];
    if (op.kind === 'delete') {
      const before = await aliasesOf(client, inputs.modelName);
      const had = before[inputs.alias];
      if (had === undefined) info(`alias '${inputs.alias}' of '${inputs.modelName}' is not set: nothing to delete`);
      else if (inputs.dryRun) info(`would delete alias '${inputs.alias}' of '${inputs.modelName}' (version ${had})`);
      else await group(`Delete alias ${inputs.alias}`, () => deleteAlias(client, inputs.modelName, inputs.alias));
      setOutput('previous-version', had ?? '');
      setOutput('version', '');
      rows.push([mdCode(inputs.alias), had ? mdCode(had) : '_(none)_', '_(deleted)_']);
    } else {
      const move = await group(`Move alias ${inputs.alias} to version ${op.version}`, () =>
        moveAlias(client, {
          name: inputs.modelName,
          alias: inputs.alias,
          version: op.version,
          previousAlias: op.previousAlias,
          dryRun: inputs.dryRun,
          logger: runnerLogger,
        }),
      );
      setOutput('previous-version', move.previousVersion ?? '');
      setOutput('version', move.version);
      rows.push([
        mdCode(inputs.alias),
        move.previousVersion ? mdCode(move.previousVersion) : '_(none)_',
        mdCode(move.version),
      ]);
      const p = move.previousAlias;
      if (p)
        rows.push([mdCode(p.alias), p.before ? mdCode(p.before) : '_(none)_', p.after ? mdCode(p.after) : '_(none)_']);
    }
    const title = `### mlflow-alias: ${mdCode(inputs.modelName)}${inputs.dryRun ? ' (dry run: nothing written)' : ''}`;
    appendSummary(`${title}\n\n${mdTable(['alias', 'before', 'after'], rows)}\n`);
  } finally {
    client.close();
  }
}
