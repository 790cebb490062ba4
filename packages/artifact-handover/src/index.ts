import { readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { errorMessage } from '@mlflow-actions/action-kit/errors';
import type { Logger } from '@mlflow-actions/action-kit/log';
import { mdCode, mdEscape } from '@mlflow-actions/action-kit/markdown';

/**
 * Hands what a step produced to the next job (or a person) as a workflow artifact, through
 * @actions/artifact, the runner's own client. The upload is a courtesy on top of the step's real
 * work: when it fails, the step says so as a warning and goes on; its outputs stand.
 */

export { artifactNameProblem } from './name.js';

export interface HandOverOptions {
  /** The artifact's name (the `artifact-name` input). */
  name: string;
  /** Files and directories to upload; directories are taken whole. */
  paths: string[];
  /** Paths inside the artifact are relative to this; default: the first path's directory (or itself, if a directory). */
  rootDirectory?: string;
  retentionDays?: number;
  logger: Logger;
  /** The runner's environment, to tell a job on a runner from a local run (default process.env). */
  env?: Record<string, string | undefined>;
}

export type HandOverResult =
  | { uploaded: true; name: string; id: number; size: number; files: number; digest?: string }
  | { uploaded: false; name: string; reason: string };

export async function handOverArtifact(opts: HandOverOptions): Promise<HandOverResult> {
  const { name, logger } = opts;
  const skip = (reason: string): HandOverResult => {
    logger.warning(`artifact '${name}' was not uploaded: ${reason}; the step's results are unaffected`);
    return { uploaded: false, name, reason };
  };
  const env = opts.env ?? process.env;
  if (!env.ACTIONS_RUNTIME_TOKEN || !env.ACTIONS_RESULTS_URL) {
    return skip(
      'this step does not run on a GitHub Actions runner (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set)',
    );
  }
  try {
    const { files, root } = await collect(opts.paths, opts.rootDirectory);
    if (files.length === 0) return skip(`there is nothing to upload under ${opts.paths.join(', ')}`);
    // Loaded only when an artifact is asked for: the client and the Azure SDK are most of a bundle.
    const { DefaultArtifactClient } = await import('@actions/artifact');
    const client = new DefaultArtifactClient();
    const res = await client.uploadArtifact(name, files, root, { retentionDays: opts.retentionDays });
    logger.info(`uploaded artifact '${name}': ${files.length} file(s), ${res.size ?? 0} bytes as uploaded`);
    return { uploaded: true, name, id: res.id ?? 0, size: res.size ?? 0, files: files.length, digest: res.digest };
  } catch (e) {
    return skip(oneLine(errorMessage(e)));
  }
}

async function collect(paths: string[], rootDirectory?: string): Promise<{ files: string[]; root: string }> {
  const files: string[] = [];
  let firstRoot: string | undefined;
  for (const p of paths.map((x) => resolve(x))) {
    const s = await stat(p);
    if (s.isDirectory()) {
      firstRoot ??= p;
      for (const e of await readdir(p, { recursive: true, withFileTypes: true })) {
        if (e.isFile()) files.push(join(e.parentPath, e.name));
      }
    } else {
      firstRoot ??= dirname(p);
      files.push(p);
    }
  }
  return { files: files.sort(), root: resolve(rootDirectory ?? firstRoot ?? '.') };
}

/** The toolkit's messages span lines (its name check explains at length); a warning is one line. */
function oneLine(message: string): string {
  return message
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean)
    .join(' ');
}

/** One line for a step summary; the reason may hold a server's text, so it is escaped. */
export function handOverSummaryLine(r: HandOverResult): string {
  if (r.uploaded) return `Artifact ${mdCode(r.name)}: ${r.files} file(s) uploaded (${r.size} bytes zipped).\n`;
  return `Artifact ${mdCode(r.name)}: not uploaded (${mdEscape(r.reason)}).\n`;
}
