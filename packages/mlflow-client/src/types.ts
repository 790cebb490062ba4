/**
 * MLflow REST shapes. Every field is optional: the server leaves out unset fields, empty lists
 * may be missing, and older servers (1.x, 2.x) lack the newer fields (aliases, model_id, ...).
 */
export interface KeyValue {
  key?: string;
  value?: string;
}

export interface ModelVersion {
  name?: string;
  version?: string;
  creation_timestamp?: number | string;
  last_updated_timestamp?: number | string;
  user_id?: string;
  current_stage?: string;
  description?: string;
  source?: string;
  run_id?: string;
  /** READY, PENDING_REGISTRATION or FAILED_REGISTRATION; newer servers may add more. */
  status?: string;
  status_message?: string;
  tags?: KeyValue[];
  run_link?: string;
  aliases?: string[];
  model_id?: string;
}

export interface RegisteredModel {
  name?: string;
  creation_timestamp?: number | string;
  last_updated_timestamp?: number | string;
  user_id?: string;
  description?: string;
  latest_versions?: ModelVersion[];
  tags?: KeyValue[];
  aliases?: { alias?: string; version?: string }[];
}

export interface Metric {
  key?: string;
  /** A number, or "NaN" / "Infinity" / "-Infinity" as protobuf's JSON writes them. */
  value?: number | string;
  timestamp?: number | string;
  step?: number | string;
}

export interface Run {
  info?: {
    run_id?: string;
    run_uuid?: string;
    run_name?: string;
    experiment_id?: string;
    user_id?: string;
    status?: string;
    start_time?: number | string;
    end_time?: number | string;
    artifact_uri?: string;
    lifecycle_stage?: string;
  };
  data?: {
    metrics?: Metric[];
    params?: KeyValue[];
    tags?: KeyValue[];
  };
}

export interface Experiment {
  experiment_id?: string;
  name?: string;
  artifact_location?: string;
  lifecycle_stage?: string;
  tags?: KeyValue[];
}

export interface MetricPoint {
  step: number;
  timestamp: number;
  value: number | string;
}
