/**
 * Every refusal carries a code a caller can branch on and, when the problem sits at a place in
 * the file, a 1-based line and column so an action can point a GitHub annotation at it.
 */
export type YamlEditErrorCode =
  | 'SYNTAX'
  | 'BAD_PATH'
  | 'BAD_VALUE'
  | 'NO_SUCH_DOCUMENT'
  | 'PATH_THROUGH_SCALAR'
  | 'WRONG_COLLECTION'
  | 'INDEX_OUT_OF_RANGE'
  | 'NO_MATCHING_ITEM'
  | 'NOT_A_SCALAR'
  | 'ALIAS'
  | 'DUPLICATE_KEY'
  | 'ENCRYPTED_VALUE'
  | 'UNSUPPORTED'
  | 'INTERNAL';

export interface SourceLocation {
  fileName?: string | undefined;
  /** 1-based. */
  line?: number | undefined;
  /** 1-based, in characters; a UTF-8 BOM is not counted. */
  column?: number | undefined;
}

export class YamlEditError extends Error {
  readonly code: YamlEditErrorCode;
  fileName: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(code: YamlEditErrorCode, message: string, where: SourceLocation = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.fileName = where.fileName;
    this.line = where.line;
    this.column = where.column;
  }
}

/** The file is not valid YAML. `line`/`column` point at the first problem the parser found. */
export class YamlSyntaxError extends YamlEditError {
  override readonly line: number;
  override readonly column: number;
  /** The `yaml` library's error code, e.g. `MISSING_CHAR`, `BAD_INDENT`. */
  readonly parserCode: string;
  /** Everything the parser reported; the first entry is the one `message` describes. */
  readonly problems: { line: number; column: number; message: string; parserCode: string }[];
  constructor(fileName: string | undefined, problems: YamlSyntaxError['problems']) {
    const first = problems[0] ?? { line: 1, column: 1, message: 'invalid YAML', parserCode: 'UNKNOWN' };
    const name = fileName ?? '<input>';
    super('SYNTAX', `YAML syntax error in ${name} at line ${first.line}, column ${first.column}: ${first.message}`, {
      fileName,
      line: first.line,
      column: first.column,
    });
    this.line = first.line;
    this.column = first.column;
    this.parserCode = first.parserCode;
    this.problems = problems;
  }
}

export function isYamlEditError(e: unknown): e is YamlEditError {
  return e instanceof YamlEditError;
}

// Workflow-command escaping: the message may hold newlines, and property values may not hold
// `:` or `,` because those delimit the properties.
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * `::error file=…,line=…,col=…::message` for any error; location properties are included only
 * when known. `fileName` overrides the error's own (e.g. to make it repository-relative).
 */
export function formatAnnotation(
  error: unknown,
  opts: { level?: 'error' | 'warning' | 'notice'; fileName?: string } = {},
): string {
  const level = opts.level ?? 'error';
  const where: SourceLocation = error instanceof YamlEditError ? error : {};
  const message = error instanceof Error ? error.message : String(error);
  const file = opts.fileName ?? where.fileName;
  const props: string[] = [];
  if (file !== undefined) props.push(`file=${escapeProperty(file)}`);
  if (where.line !== undefined) props.push(`line=${where.line}`);
  if (where.column !== undefined) props.push(`col=${where.column}`);
  return `::${level}${props.length > 0 ? ' ' + props.join(',') : ''}::${escapeData(message)}`;
}
