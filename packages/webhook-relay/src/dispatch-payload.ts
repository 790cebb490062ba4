import type { MlflowEvent } from './mlflow-event.js';

/** The body of GitHub's `POST /repos/{owner}/{repo}/dispatches` (operation repos/create-dispatch-event). */
export interface DispatchRequest {
  event_type: string;
  client_payload: ClientPayload;
}

/**
 * What a workflow reads as `github.event.client_payload`. GitHub allows at most 10 top-level
 * properties and 64 KB in all, so the names a workflow needs sit at the top and MLflow's own
 * `data` rides along whole only while it fits.
 */
export interface ClientPayload {
  event: string;
  model_name?: string;
  model_version?: string;
  alias?: string;
  workspace?: string;
  delivery_id: string;
  mlflow_timestamp?: string;
  data?: Record<string, unknown>;
  data_omitted?: true;
}

// GitHub's limit is 64 KB for the whole payload; leave room for event_type and the other fields.
const MAX_DATA_BYTES = 60 * 1024;
const MAX_EVENT_TYPE = 100;

/** `mlflow.model_version.created` and the like: what `on: repository_dispatch: types:` filters on. */
export function toDispatchRequest(e: MlflowEvent, deliveryId: string, eventTypePrefix: string): DispatchRequest {
  const payload: ClientPayload = { event: e.event, delivery_id: deliveryId };
  if (e.name !== undefined) payload.model_name = e.name;
  if (e.version !== undefined) payload.model_version = e.version;
  if (e.alias !== undefined) payload.alias = e.alias;
  if (e.workspace !== undefined) payload.workspace = e.workspace;
  if (e.timestamp !== undefined) payload.mlflow_timestamp = e.timestamp;
  if (Buffer.byteLength(JSON.stringify(e.data)) <= MAX_DATA_BYTES) payload.data = e.data;
  else payload.data_omitted = true;
  return { event_type: `${eventTypePrefix}${e.event}`.slice(0, MAX_EVENT_TYPE), client_payload: payload };
}
