export { createRelay, type Relay, type RelayOptions, type RelayStats } from './relay-server.js';
export { GitHubDispatcher, type DispatchOutcome, type GitHubDispatchOptions } from './github-dispatch.js';
export { toDispatchRequest, type ClientPayload, type DispatchRequest } from './dispatch-payload.js';
export { parseMlflowEvent, MalformedEvent, KNOWN_EVENTS, type MlflowEvent } from './mlflow-event.js';
export { verifyDelivery, type Verdict } from './signature.js';
export { parseConfig, ConfigError, type RelayConfig } from './config.js';
