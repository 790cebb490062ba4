import { defineAction } from '@mlflow-actions/action-kit/define-action';
import { appendSummary, group, info, setOutput, runnerLogger } from '@mlflow-actions/action-kit/runner';
import { publish } from '@mlflow-actions/s3-publish';
import { parseInputs, secretsOf, type Inputs } from './inputs.js';
import { describeResult, renderSummary } from './summary.js';

/**
 * Publishes source-dir with the package; credentials come from the AWS SDK's default chain
 * (environment, web identity from an OIDC role step, profile, instance role), never from inputs.
 */
export async function run(inputs: Inputs): Promise<void> {
  const target = `s3://${inputs.bucket}/${inputs.prefix ? `${inputs.prefix}/` : ''}${inputs.artifactVersion}/`;
  const result = await group(`${inputs.dryRun ? 'Dry run: publish' : 'Publish'} ${inputs.sourceDir} to ${target}`, () =>
    publish({
      sourceDir: inputs.sourceDir,
      bucket: inputs.bucket,
      prefix: inputs.prefix,
      artifactVersion: inputs.artifactVersion,
      region: inputs.region,
      endpoint: inputs.endpoint,
      forcePathStyle: inputs.forcePathStyle,
      concurrency: inputs.concurrency,
      cacheControl: inputs.cacheControl,
      exclude: inputs.exclude,
      overwrite: inputs.overwrite,
      delete: inputs.delete,
      dryRun: inputs.dryRun,
      logger: runnerLogger,
    }),
  );
  info(describeResult(result));
  for (const [name, value] of Object.entries(result.outputs)) setOutput(name, value);
  appendSummary(renderSummary(result));
}

void defineAction({ name: 's3-publish', secrets: secretsOf, parseInputs, run });
