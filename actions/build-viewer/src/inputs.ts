import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputReader, type Env } from '@mlflow-actions/action-kit/inputs';
import { artifactNameProblem } from '@mlflow-actions/artifact-handover/name';
import { checkOutputDir } from '@mlflow-actions/viewer/output-dir';

export interface Inputs {
  metadataFile: string;
  previousMetadataFile: string | null;
  outputDir: string;
  title: string | null;
  /** '' for relative URLs, else a path starting and ending with '/'. */
  basePath: string;
  clean: boolean;
  /** `artifact-name`: also upload the site as a workflow artifact of this name. */
  artifactName: string | undefined;
}

/**
 * Reads and checks every input before anything is read or written, and reports all problems at
 * once. Light on purpose (no validator, no site builder) so a bad input fails as fast as Node starts.
 */
export function parseInputs(env: Env, cwd = process.cwd()): Inputs {
  const r = new InputReader(env);
  const metadataFile = resolve(cwd, r.raw('metadata-file') || 'model_metadata.json');
  checkFile(r, 'metadata-file', metadataFile);
  const prevRaw = r.optional('previous-metadata-file');
  const previousMetadataFile = prevRaw ? resolve(cwd, prevRaw) : null;
  if (previousMetadataFile) checkFile(r, 'previous-metadata-file', previousMetadataFile);

  const title = r.optional('title') ?? null;
  if (title !== null && (title.length > 200 || hasControlCharacter(title))) {
    r.problem(`input 'title' must be one line of at most 200 characters`);
  }

  const basePath = normaliseBasePath(r, r.optional('base-path'));
  const clean = r.boolean('clean', false);
  const outputDirRaw = r.raw('output-dir') || 'model-viewer-dist';
  const outputDir = resolve(cwd, outputDirRaw);
  const dirProblem = checkOutputDir(outputDir, {
    clean,
    cwd,
    inputs: [metadataFile, ...(previousMetadataFile ? [previousMetadataFile] : [])],
  });
  if (dirProblem) r.problem(dirProblem.replace(`('${outputDir}')`, `('${outputDirRaw}')`));

  const artifactName = r.optional('artifact-name');
  const nameProblem = artifactName === undefined ? undefined : artifactNameProblem(artifactName);
  if (nameProblem) r.problem(`input 'artifact-name' ${nameProblem}`);

  r.done();
  return { metadataFile, previousMetadataFile, outputDir, title, basePath, clean, artifactName };
}

/** Control characters (U+0000-U+001F, U+007F), newlines among them: a title is one line of text. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function checkFile(r: InputReader, name: string, file: string): void {
  try {
    if (!statSync(file).isFile()) r.problem(`input '${name}': '${file}' is not a file`);
  } catch {
    const hint = name === 'metadata-file' ? ': run mlflow-metadata first, or set metadata-file' : '';
    r.problem(`input '${name}': '${file}' does not exist${hint}`);
  }
}

/**
 * A path only: a host or scheme here would load the app from another origin, which the page's
 * Content-Security-Policy ('self') refuses anyway.
 */
function normaliseBasePath(r: InputReader, raw: string | undefined): string {
  if (raw === undefined) return '';
  if (
    !raw.startsWith('/') ||
    raw.startsWith('//') ||
    !/^[A-Za-z0-9\-._~/%!$&'()*+,;=:@]+$/.test(raw) ||
    /(^|\/)\.\.?(\/|$)/.test(raw)
  ) {
    r.problem(`input 'base-path' must be a URL path such as /model-viewer/3/ (no host, no '..'), got '${raw}'`);
    return '';
  }
  return raw.endsWith('/') ? raw : `${raw}/`;
}
