import { defineAction } from '@mlflow-actions/action-kit/define-action';
import { writeFileAtomically } from '@mlflow-actions/action-kit/files';
import { relative } from 'node:path';
import { group, info, setOutput, appendSummary, runnerLogger } from '@mlflow-actions/action-kit/runner';
import { MlflowClient, fetchModelMetadata } from '@mlflow-actions/mlflow-client';
import { prefixWarnings } from '@mlflow-actions/action-kit/log';
import { handOverArtifact, handOverSummaryLine } from '@mlflow-actions/artifact-handover';
import { validateMetadata } from '@mlflow-actions/model-metadata/validate';
import { downloadModel } from './download.js';
import { parseInputs, secretsOf, type Inputs } from './inputs.js';
import { renderSummary } from './summary.js';

export async function run(inputs: Inputs): Promise<void> {
  const { trackingUri, auth, tls, retry } = inputs.connection;
  const client = new MlflowClient({ trackingUri, auth, tls, retry, logger: runnerLogger });
  const started = performance.now();
  let metadata;
  let downloadSection: string | undefined;
  try {
    metadata = await group(`Read '${inputs.modelName}' from MLflow at ${trackingUri}`, async () => {
      const m = await fetchModelMetadata(client, {
        modelName: inputs.modelName,
        ref: inputs.ref,
        metricHistory: inputs.metricHistory,
      });
      const how =
        inputs.ref.kind === 'version'
          ? ''
          : ` (${inputs.ref.kind} '${inputs.ref.kind === 'alias' ? inputs.ref.alias : inputs.ref.stage}')`;
      info(
        `Model '${m.model_name}' version ${m.version}${how}: stage ${m.stage}, aliases [${m.aliases.join(', ')}], run ${
          m.run_id ?? '(none)'
        }`,
      );
      const points = Object.values(m.metric_history).reduce((n, h) => n + h.length, 0);
      if (inputs.metricHistory.kind !== 'none')
        info(`Metric history: ${Object.keys(m.metric_history).length} metrics, ${points} points`);
      return m;
    });
    // The producer checks its own output against the published schema: a consumer never gets a
    // file that the contract does not describe (and nothing is downloaded for a version it cannot describe).
    const problems = validateMetadata(metadata);
    // A mismatch is this project's bug, not the user's (MLflow's answer was read without complaint):
    // a plain Error, so defineAction reports it as one ("please report this"), its stack in debug.
    if (problems.length) {
      throw new Error(
        `the metadata read from MLflow does not match the schema at ${problems[0]!.path}: ${problems[0]!.message}`,
      );
    }
    // The files of the very version the metadata names (an alias may move while the step runs).
    if (inputs.download) {
      downloadSection = await downloadModel(
        client,
        { name: metadata.model_name, version: metadata.version, source: metadata.source_artifact_uri ?? undefined },
        inputs.download,
      );
    }
  } finally {
    client.close();
  }

  const json = JSON.stringify(metadata, null, 2) + '\n';
  writeFileAtomically(inputs.outputFile, json, 'output-file');
  const ms = performance.now() - started;
  info(
    `Wrote ${relative(process.cwd(), inputs.outputFile) || inputs.outputFile} (${json.length} bytes) in ${Math.round(ms)} ms`,
  );

  setOutput('metadata-file', inputs.outputFile);
  setOutput('model-version', metadata.version);
  setOutput('run-id', metadata.run_id ?? '');
  setOutput('source-uri', metadata.source_artifact_uri ?? '');
  setOutput('stage', metadata.stage);
  setOutput('aliases', JSON.stringify(metadata.aliases));
  appendSummary(renderSummary(metadata, { file: inputs.outputFile, bytes: Buffer.byteLength(json) }));
  if (downloadSection) appendSummary(downloadSection);
  if (inputs.artifactName) {
    // Only the metadata file: the model's files stay on this runner (they can be large, and the
    // image build that needs them runs in this job).
    const handedOver = await group(`Upload artifact '${inputs.artifactName}'`, () =>
      handOverArtifact({
        name: inputs.artifactName!,
        paths: [inputs.outputFile],
        logger: prefixWarnings(runnerLogger, 'mlflow-metadata'),
      }),
    );
    appendSummary(handOverSummaryLine(handedOver));
  }
}

void defineAction({ name: 'mlflow-metadata', secrets: secretsOf, parseInputs, run });
