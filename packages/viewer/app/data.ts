// The page's data island (<script type="application/json" id="model-data">): written by the site
// builder (../src/site.ts), read by main.ts. Types only.
import type { MetricValue, ModelMetadata } from '../../model-metadata/src/types.js';

/** What the page needs of the version it is compared with (the one in production). */
export interface PreviousVersion {
  model_name: string;
  version: string;
  stage: string;
  aliases: string[];
  metrics: Record<string, MetricValue>;
  /** Its metric histories, drawn beside the new version's in the charts. */
  histories: Record<string, HistoryColumns>;
}

/**
 * A metric's history as two columns. The island carries histories this way, not as the
 * metadata's `{step, timestamp, value}` objects (those stay in model_metadata.json): a quarter
 * of the bytes for the browser to parse before the first paint, and the charts need no timestamps.
 */
export interface HistoryColumns {
  step: number[];
  value: MetricValue[];
}

export interface ViewerData {
  /** The page title chosen with the `title` input, or null for the model's name. */
  title: string | null;
  /** ISO 8601 time at which the site was built. */
  generated_at: string;
  /** The metadata, with `metric_history` empty: the histories are in `histories`. */
  metadata: ModelMetadata;
  histories: Record<string, HistoryColumns>;
  previous: PreviousVersion | null;
}
