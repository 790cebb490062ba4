import { ActionError } from '@mlflow-actions/action-kit/errors';
import { warning } from '@mlflow-actions/action-kit/runner';
import { ImageRefError, ImageUpdateError, PromotionError } from '@mlflow-actions/image-ref/errors';
import { YamlEditError, type EditWarning } from '@mlflow-actions/yaml-edit';

/**
 * The one place that decides which errors of an edit are the user's: those become an ActionError
 * (one annotation, at the file and line when known, no stack). Everything else is returned as it
 * is, so defineAction reports it as a bug with its stack in the debug log. That includes
 * yaml-edit's INTERNAL: the editor's check of its own result failed, which no change to the file
 * or the inputs can fix ("please report this").
 */
export function userErrorOf(e: unknown): unknown {
  if (e instanceof YamlEditError) {
    if (e.code === 'INTERNAL') return e;
    return new ActionError(
      e.message,
      e.fileName === undefined ? undefined : { file: e.fileName, line: e.line, col: e.column },
    );
  }
  if (e instanceof ImageUpdateError)
    return new ActionError(e.message, { file: e.fileName, line: e.line, col: e.column });
  if (e instanceof PromotionError || e instanceof ImageRefError) return new ActionError(e.message);
  return e;
}

/** The editor's warnings about a file (a duplicate key off the edited paths), one annotation each at its line. */
export function annotateWarnings(file: string, warnings: readonly EditWarning[]): void {
  for (const w of warnings) warning(w.message, { file, line: w.line, col: w.column });
}
