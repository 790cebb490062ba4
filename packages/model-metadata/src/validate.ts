// A validator compiled from the schema at build time (scripts/gen-validator.mjs): no Ajv at run time.
import compiled from './generated/validate-model-metadata.js';
import type { ModelMetadata } from './types.js';

export interface SchemaProblem {
  /** JSON Pointer-like path in the document, `$` for the root, e.g. `$.run.start_time`. */
  path: string;
  message: string;
}

/**
 * Validates a metadata document against the published schema. Returns the problems (empty when
 * valid), the first one first; callers report the first with its JSON path.
 */
export function validateMetadata(doc: unknown): SchemaProblem[] {
  if (compiled(doc)) return [];
  return (compiled.errors ?? []).map((e) => {
    const path =
      '$' +
      e.instancePath
        .split('/')
        .slice(1)
        .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
        .map((seg) =>
          /^\d+$/.test(seg)
            ? `[${seg}]`
            : /^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)
              ? `.${seg}`
              : `[${JSON.stringify(seg)}]`,
        )
        .join('');
    const extra =
      e.keyword === 'additionalProperties'
        ? ` ('${(e.params as { additionalProperty: string }).additionalProperty}')`
        : e.keyword === 'required'
          ? ''
          : e.keyword === 'enum'
            ? `: ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`
            : '';
    return { path, message: `${e.message ?? 'is invalid'}${extra}` };
  });
}

export function isModelMetadata(doc: unknown): doc is ModelMetadata {
  return validateMetadata(doc).length === 0;
}
