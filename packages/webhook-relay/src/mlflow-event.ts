/**
 * The body MLflow 3 posts to a webhook (mlflow/webhooks/delivery.py):
 *   {"entity": "model_version", "action": "created", "timestamp": "<ISO 8601>", "data": {...},
 *    "workspace": "..." (only with workspaces enabled)}
 * `data` is one of the payloads of mlflow/webhooks/types.py: model events carry `name` and, per
 * event, `version`, `alias`, `key`/`value`, `source`, `run_id`, `tags`, `description`.
 */
export interface MlflowEvent {
  /** `<entity>.<action>`, as MLflow names events in `create_webhook(events=[...])`. */
  event: string;
  entity: string;
  action: string;
  timestamp: string | undefined;
  workspace: string | undefined;
  name: string | undefined;
  version: string | undefined;
  alias: string | undefined;
  data: Record<string, unknown>;
}

/**
 * Every event MLflow 3 can deliver (VALID_ENTITY_ACTIONS in mlflow/entities/webhook.py), with the
 * fields of `data` it always carries (mlflow/webhooks/types.py). An event MLflow adds later is
 * relayed too, with no field required.
 */
const REQUIRED_FIELDS = {
  'registered_model.created': ['name'],
  'model_version.created': ['name', 'version'],
  'model_version_tag.set': ['name', 'version', 'key'],
  'model_version_tag.deleted': ['name', 'version', 'key'],
  'model_version_alias.created': ['name', 'alias', 'version'],
  'model_version_alias.deleted': ['name', 'alias'],
  'prompt.created': ['name'],
  'prompt_version.created': ['name', 'version'],
  'prompt_tag.set': ['name', 'key'],
  'prompt_tag.deleted': ['name', 'key'],
  'prompt_version_tag.set': ['name', 'version', 'key'],
  'prompt_version_tag.deleted': ['name', 'version', 'key'],
  'prompt_alias.created': ['name', 'alias', 'version'],
  'prompt_alias.deleted': ['name', 'alias'],
  'budget_policy.exceeded': ['budget_policy_id'],
} as const satisfies Record<string, readonly string[]>;

export type KnownEvent = keyof typeof REQUIRED_FIELDS;
export const KNOWN_EVENTS = Object.keys(REQUIRED_FIELDS) as KnownEvent[];

export class MalformedEvent extends Error {
  override name = 'MalformedEvent';
}

const WORD = /^[a-z][a-z_]{0,40}$/;

/** Parses and checks a delivery's body; throws MalformedEvent saying what is wrong. */
export function parseMlflowEvent(rawBody: Buffer): MlflowEvent {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new MalformedEvent('body is not JSON');
  }
  if (!isObject(body)) throw new MalformedEvent('body is not a JSON object');
  const { entity, action, data } = body;
  if (typeof entity !== 'string' || !WORD.test(entity)) throw new MalformedEvent('"entity" is missing or not a name');
  if (typeof action !== 'string' || !WORD.test(action)) throw new MalformedEvent('"action" is missing or not a name');
  if (!isObject(data)) throw new MalformedEvent('"data" is missing or not an object');
  const event = `${entity}.${action}`;
  const required: readonly string[] = Object.hasOwn(REQUIRED_FIELDS, event) ? REQUIRED_FIELDS[event as KnownEvent] : [];
  for (const key of required) {
    if (typeof data[key] !== 'string' || data[key] === '')
      throw new MalformedEvent(`"data.${key}" is missing for ${event}`);
  }
  const name = optionalString(data, 'name');
  const version = optionalString(data, 'version');
  const alias = optionalString(data, 'alias');
  return {
    event,
    entity,
    action,
    timestamp: typeof body.timestamp === 'string' ? body.timestamp : undefined,
    workspace: typeof body.workspace === 'string' ? body.workspace : undefined,
    name,
    version,
    alias,
    data,
  };
}

function optionalString(data: Record<string, unknown>, key: string): string | undefined {
  const v = data[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new MalformedEvent(`"data.${key}" is not a string`);
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
