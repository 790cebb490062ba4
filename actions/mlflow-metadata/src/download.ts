import { relative } from 'node:path';
import { ActionError } from '@mlflow-actions/action-kit/errors';
import { mdCode, mdTable } from '@mlflow-actions/action-kit/markdown';
import { group, info, runnerLogger, setOutput } from '@mlflow-actions/action-kit/runner';
import type { MlflowClient } from '@mlflow-actions/mlflow-client';
import { downloadModelArtifacts, formatBytes, type S3SourceOptions } from '@mlflow-actions/mlflow-client/artifacts';

export interface DownloadInputs {
  dir: string;
  s3: S3SourceOptions;
}

/**
 * Fetches the version's model files into `download-dir` and sets its outputs; returns the
 * summary's section. A cancelled job (the runner sends SIGINT, then SIGTERM) stops the transfers
 * and leaves nothing behind, as a failed download does.
 */
export async function downloadModel(
  client: MlflowClient,
  version: { name: string; version: string; source?: string },
  inputs: DownloadInputs,
): Promise<string> {
  const stop = new AbortController();
  const cancel = (signal: string) => () =>
    stop.abort(new ActionError(`the download was stopped by ${signal}; nothing was left in download-dir`));
  const onInt = cancel('SIGINT');
  const onTerm = cancel('SIGTERM');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  try {
    const result = await group(`Download the model's files to ${inputs.dir}`, () =>
      downloadModelArtifacts(client, {
        from: { version },
        dest: inputs.dir,
        s3: inputs.s3,
        logger: runnerLogger,
        signal: stop.signal,
      }),
    );
    setOutput('download-dir', result.dir);
    setOutput('files-downloaded', String(result.files));
    setOutput('bytes-downloaded', String(result.bytes));
    info(`${result.files} files, ${formatBytes(result.bytes)}, from ${result.location.uri}`);
    return summary(result.dir, result.location.uri, result.listing);
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}

const SUMMARY_ROWS = 20;

function summary(dir: string, from: string, listing: { path: string; size: number }[]): string {
  const bytes = listing.reduce((n, f) => n + f.size, 0);
  const largest = [...listing].sort((a, b) => b.size - a.size).slice(0, SUMMARY_ROWS);
  const rest = listing.length - largest.length;
  return [
    '### Model files',
    '',
    `${listing.length} files, ${formatBytes(bytes)} (${bytes} bytes), from ${mdCode(from)} into ${mdCode(
      relative(process.cwd(), dir) || dir,
    )}.`,
    '',
    mdTable(
      ['file', 'size'],
      largest.map((f) => [mdCode(f.path), formatBytes(f.size)]),
    ),
    rest > 0 ? `…and ${rest} smaller files.\n` : '',
  ].join('\n');
}
