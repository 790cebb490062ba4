/**
 * Errors that are the user's to fix (a bad input, a missing model, a denied token) carry a message
 * written for a person: one line that names what was wrong and how to fix it. The entry point
 * prints those without a stack. Anything else is a bug and gets its stack in the debug log.
 */
/** Where in a file a problem is, so the runner can show it on that line (an annotation). */
export interface SourcePosition {
  file: string;
  line?: number;
  col?: number;
}

export class ActionError extends Error {
  /** One line each; an input error may report several problems at once. */
  readonly problems: string[];
  constructor(
    problems: string | string[],
    readonly position?: SourcePosition,
  ) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.join('; '));
    this.name = new.target.name;
    this.problems = list;
  }
}

/** A bad or missing input. Raised before any network call or write. */
export class InputError extends ActionError {}

/** A remote service answered in a way that the user must act on (401, unknown model, ...). */
export class ServiceError extends ActionError {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
