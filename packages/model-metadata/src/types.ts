/**
 * The model metadata file (`model_metadata.json`, schema_version 1): the contract between
 * mlflow-metadata (producer) and build-viewer and other consumers. Every field of seed 000's
 * hand-written script keeps its name (model_name … tags), so existing front ends keep working.
 * The JSON Schema in ../schemas/model-metadata.schema.json is the normative form of this type.
 */

/** A metric value: a number, or a non-finite value spelled as protobuf's JSON spells it. */
export type MetricValue = number | 'NaN' | 'Infinity' | '-Infinity';

export interface MetricPoint {
  step: number;
  timestamp: number;
  value: MetricValue;
}

export interface RunInfo {
  run_id: string;
  experiment_id: string;
  experiment_name: string | null;
  run_name: string | null;
  status: string | null;
  start_time: number | null;
  end_time: number | null;
  user_id: string | null;
  git_commit: string | null;
  artifact_uri: string | null;
  lifecycle_stage: string | null;
}

export interface ModelMetadata {
  schema_version: 1;
  // --- the seed script's fields, same names and meaning ---
  model_name: string;
  version: string;
  /** Legacy stage: None, Staging, Production or Archived. */
  stage: string;
  description: string | null;
  run_id: string | null;
  source_artifact_uri: string | null;
  created_timestamp: number | null;
  last_updated_timestamp: number | null;
  /** Latest value of each metric of the run. */
  metrics: Record<string, MetricValue>;
  params: Record<string, string>;
  /** The run's tags without MLflow's internal `mlflow.*` ones. */
  tags: Record<string, string>;
  // --- added ---
  aliases: string[];
  status: string;
  model_id: string | null;
  model_version_tags: Record<string, string>;
  registered_model: {
    name: string;
    description: string | null;
    tags: Record<string, string>;
    /** alias -> version */
    aliases: Record<string, string>;
    created_timestamp: number | null;
    last_updated_timestamp: number | null;
  };
  run: RunInfo | null;
  /** Present keys only for the metrics asked for with `metric-history`. */
  metric_history: Record<string, MetricPoint[]>;
  tracking_uri: string;
  links: {
    registered_model: string;
    model_version: string;
    run: string | null;
    experiment: string | null;
  };
  /** ISO 8601 UTC time at which the registry was read. */
  fetched_at: string;
}
