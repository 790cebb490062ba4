// Reads a metadata file and checks it against the published schema, failing with one line that
// names the file and the first problem (with its JSON path), so the user knows what to fix.
import { readFileSync } from 'node:fs';
import { InputError } from '@mlflow-actions/action-kit/errors';
import type { ModelMetadata } from '@mlflow-actions/model-metadata';
import { validateMetadata } from '@mlflow-actions/model-metadata/validate';

export interface MetadataFile {
  metadata: ModelMetadata;
  text: string;
}

/** `input` is the action input that named the file, for the message. */
export function readMetadataFile(file: string, input: string): MetadataFile {
  const where = `input '${input}': '${file}'`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : code === 'EACCES'
            ? 'cannot be read (permission denied)'
            : `cannot be read (${(e as Error).message})`;
    throw new InputError(
      `${where} ${why}${code === 'ENOENT' && input === 'metadata-file' ? ': run mlflow-metadata first, or set metadata-file' : ''}`,
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // editors on Windows add a BOM
  if (text.trim() === '') throw new InputError(`${where} is empty`, { file });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const at = jsonErrorPosition(text, (e as Error).message);
    const msg = (e as Error).message.replace(/\s+/g, ' ').replace(/ in JSON at position \d+.*$/, '');
    throw new InputError(`${where} is not valid JSON${at ? ` at line ${at.line}, column ${at.col}` : ''}: ${msg}`, {
      file,
      ...(at ?? {}),
    });
  }
  const version = (doc as { schema_version?: unknown } | null)?.schema_version;
  if (typeof version === 'number' && version !== 1) {
    throw new InputError(
      `${where} has schema_version ${version}; this build-viewer reads schema_version 1: use the matching release of the actions`,
      { file },
    );
  }
  const problems = validateMetadata(doc);
  if (problems.length) {
    const p = problems[0]!;
    throw new InputError(`${where} is not valid model metadata: ${p.path} ${p.message}`, { file });
  }
  return { metadata: doc as ModelMetadata, text };
}

/** V8 says `at position N` (and, in newer versions, `(line L column C)`). */
function jsonErrorPosition(text: string, message: string): { line: number; col: number } | null {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), col: Number(lc[2]) };
  const pos = /at position (\d+)/.exec(message);
  if (!pos) return message.includes('Unexpected end of JSON input') ? lineCol(text, text.length) : null;
  return lineCol(text, Number(pos[1]));
}

function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, col: before.at(-1)!.length + 1 };
}
