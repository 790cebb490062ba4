import { defineAction } from '@mlflow-actions/action-kit/define-action';
import { relative } from 'node:path';
import { ServiceError, InputError } from '@mlflow-actions/action-kit/errors';
import { prefixWarnings } from '@mlflow-actions/action-kit/log';
import { appendSummary, group, info, runnerLogger, setOutput, warning } from '@mlflow-actions/action-kit/runner';
import { handOverArtifact, handOverSummaryLine } from '@mlflow-actions/artifact-handover';
import {
  buildSite,
  checkOutputDir,
  readMetadataFile,
  writeSiteAtomically,
  type SiteFile,
} from '@mlflow-actions/viewer';
import { parseInputs, type Inputs } from './inputs.js';
import { renderSummary } from './summary.js';

export async function run(inputs: Inputs): Promise<void> {
  const started = performance.now();
  // The reads and the write are synchronous; group takes a promise.
  const { current, previous } = await group('Read and validate the metadata', () =>
    Promise.resolve(readInputFiles(inputs)),
  );

  const files = buildSite({
    metadata: current.metadata,
    metadataText: current.text,
    previous: previous?.metadata ?? null,
    title: inputs.title,
    basePath: inputs.basePath,
  });
  const written = await group(`Write the site to ${shown(inputs.outputDir)}`, () =>
    Promise.resolve(writeSite(inputs, files)),
  );
  const ms = performance.now() - started;
  info(
    `Built the viewer of '${current.metadata.model_name}' version ${current.metadata.version}: ${
      written.files.length
    } files, ${written.bytes} bytes in ${Math.round(ms)} ms`,
  );

  setOutput('output-dir', written.dir);
  setOutput('files', String(written.files.length));
  setOutput('bytes', String(written.bytes));
  appendSummary(
    renderSummary({
      metadata: current.metadata,
      previous: previous?.metadata ?? null,
      files,
      dir: written.dir,
      bytes: written.bytes,
    }),
  );
  if (inputs.artifactName) {
    const handedOver = await group(`Upload artifact '${inputs.artifactName}'`, () =>
      handOverArtifact({
        name: inputs.artifactName!,
        paths: [written.dir],
        logger: prefixWarnings(runnerLogger, 'build-viewer'),
      }),
    );
    appendSummary(handOverSummaryLine(handedOver));
  }
}

function readInputFiles(inputs: Inputs) {
  const current = readMetadataFile(inputs.metadataFile, 'metadata-file');
  const m = current.metadata;
  info(
    `${shown(inputs.metadataFile)}: '${m.model_name}' version ${m.version} (stage ${m.stage}), ${
      Object.keys(m.metrics).length
    } metrics, ${Object.keys(m.metric_history).length} histories`,
  );
  const previous = inputs.previousMetadataFile
    ? readMetadataFile(inputs.previousMetadataFile, 'previous-metadata-file')
    : null;
  if (previous) {
    const p = previous.metadata;
    info(
      `${shown(inputs.previousMetadataFile!)}: compare with '${p.model_name}' version ${p.version} (stage ${p.stage})`,
    );
    if (p.model_name !== m.model_name)
      warning(
        `previous-metadata-file is of model '${p.model_name}', not '${m.model_name}': the page compares them anyway`,
      );
  }
  return { current, previous };
}

function writeSite(inputs: Inputs, files: SiteFile[]) {
  // Checked again now: the directory may have changed since the inputs were read.
  const problem = checkOutputDir(inputs.outputDir, {
    clean: inputs.clean,
    inputs: [inputs.metadataFile, ...(inputs.previousMetadataFile ? [inputs.previousMetadataFile] : [])],
  });
  if (problem) throw new InputError(problem);
  try {
    const w = writeSiteAtomically(inputs.outputDir, files);
    for (const f of files) info(`  ${f.path} (${Buffer.byteLength(f.data)} bytes)`);
    return w;
  } catch (e) {
    throw new ServiceError(`could not write the site to '${inputs.outputDir}': ${(e as Error).message}`);
  }
}

function shown(p: string): string {
  return relative(process.cwd(), p) || p;
}

void defineAction({ name: 'build-viewer', parseInputs, run });
