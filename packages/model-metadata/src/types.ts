/**
 * The model metadata file (`model_metadata.json`, schema_version 1): the contract between
 * mlflow-metadata (producer) and build-viewer and other consumers. Every field of seed 000's
 * hand-written script keeps its name (model_name … tags), so existing front ends keep working.
 * The types are generated from ../schemas/model-metadata.schema.json, the normative form
 * (scripts/gen-validator.mjs; `npm run check:dist` fails when they drift).
 */
import type { ModelMetadata } from './generated/model-metadata.js';

export type { MetricPoint, MetricValue, ModelMetadata } from './generated/model-metadata.js';

/** Facts about the run that produced the version (the file's `run`, when there is one). */
export type RunInfo = NonNullable<ModelMetadata['run']>;
