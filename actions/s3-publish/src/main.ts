import { appendSummary, group, info, setOutput, workflowLogger } from '@mlflow-actions/action-kit/workflow';
import { mdEscape, mdTable } from '@mlflow-actions/action-kit/markdown';
import { publish } from '@mlflow-actions/s3-publish';
import type { Inputs } from './inputs.js';

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 2 : 1)} MiB`;

export async function run(inputs: Inputs): Promise<void> {
  const result = await group(`Publish ${inputs.sourceDir} to s3://${inputs.bucket}/${inputs.prefix ? `${inputs.prefix}/` : ''}${inputs.artifactVersion}/`, () =>
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
      logger: workflowLogger,
    }),
  );
  const secs = (result.durationMs / 1000).toFixed(2);
  info(
    `${result.dryRun ? 'dry-run: would upload' : 'uploaded'} ${result.filesUploaded} files (${mib(result.bytesUploaded)}), skipped ${result.filesSkipped} unchanged, deleted ${result.filesDeleted}, in ${secs} s: ${result.s3Uri}`,
  );
  for (const [k, v] of Object.entries(result.outputs)) setOutput(k, String(v));

  const rows = [
    ['Version', `\`${mdEscape(result.artifactVersion)}\``],
    ['Location', `\`${mdEscape(result.s3Uri)}\``],
    ['Uploaded', `${result.filesUploaded} files, ${mib(result.bytesUploaded)}`],
    ['Unchanged (skipped)', String(result.filesSkipped)],
    ['Deleted', String(result.filesDeleted)],
    ['Excluded', result.excluded.length ? result.excluded.map((e) => `\`${mdEscape(e)}\``).join(', ') : 'nothing'],
    ['Time', `${secs} s`],
  ];
  let md = `### S3 publish${result.dryRun ? ' (dry-run: nothing written)' : ''}\n\n${mdTable(['', ''], rows)}`;
  if (result.dryRun && result.actions.length) {
    const shown = result.actions.slice(0, 50).map((a) => [a.type, `\`${mdEscape(a.key)}\``]);
    md += `\n#### What would change\n\n${mdTable(['action', 'key'], shown)}${result.actions.length > 50 ? `\n… and ${result.actions.length - 50} more\n` : ''}`;
  }
  appendSummary(md);
}
