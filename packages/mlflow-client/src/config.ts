import { InputError } from '@mlflow-actions/action-kit/errors';
import type { RetryPolicy } from '@mlflow-actions/action-kit/http';
import type { Auth } from './client.js';

export type Env = Record<string, string | undefined>;

/**
 * MLflow's Python client's retry defaults (mlflow/environment_variables.py):
 * MLFLOW_HTTP_REQUEST_MAX_RETRIES (7), _BACKOFF_FACTOR (2), _BACKOFF_JITTER (1.0),
 * _TIMEOUT (120 s), and a 120 s cap on one backoff.
 */
export const MLFLOW_DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({
  maxRetries: 7,
  backoffFactor: 2,
  backoffJitter: 1,
  maxBackoffSeconds: 120,
  timeoutMs: 120_000,
});

/**
 * Retry settings as MLflow's Python client reads them from the environment, with
 * MLFLOW_DEFAULT_RETRY where a variable is unset. Explicit inputs override the environment.
 */
export function retryPolicyFromEnv(
  env: Env,
  overrides: { maxRetries?: number; timeoutSeconds?: number } = {},
): RetryPolicy {
  const num = (name: string, fallback: number): number => {
    const v = env[name];
    if (v === undefined || v.trim() === '') return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0)
      throw new InputError(`environment variable ${name} must be a non-negative number, got '${v}'`);
    return n;
  };
  const d = MLFLOW_DEFAULT_RETRY;
  return {
    maxRetries: overrides.maxRetries ?? num('MLFLOW_HTTP_REQUEST_MAX_RETRIES', d.maxRetries),
    backoffFactor: num('MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR', d.backoffFactor),
    backoffJitter: num('MLFLOW_HTTP_REQUEST_BACKOFF_JITTER', d.backoffJitter),
    maxBackoffSeconds: d.maxBackoffSeconds,
    timeoutMs: (overrides.timeoutSeconds ?? num('MLFLOW_HTTP_REQUEST_TIMEOUT', d.timeoutMs / 1000)) * 1000,
  };
}

/**
 * Credentials the way MLflow's client picks them: basic (username + password) wins over a
 * bearer token. Credentials in the URI's user-info count as basic too, and are removed from
 * the URI so they never reach a link, a log line or the metadata file.
 */
export function resolveAuth(
  trackingUri: string,
  given: { username?: string; password?: string; token?: string },
): { uri: string; auth: Auth; secrets: string[] } {
  const url = new URL(trackingUri);
  let username = given.username;
  let password = given.password;
  if (url.username || url.password) {
    username ??= decodeURIComponent(url.username);
    password ??= decodeURIComponent(url.password);
    url.username = '';
    url.password = '';
  }
  const secrets = [password, given.token].filter((s): s is string => !!s);
  const uri = url.href.replace(/\/+$/, '');
  if (username && password) return { uri, auth: { kind: 'basic', username, password }, secrets };
  if (given.token) return { uri, auth: { kind: 'bearer', token: given.token }, secrets };
  return { uri, auth: { kind: 'none' }, secrets };
}

/**
 * Where an s3:// model source is read from, as MLflow's S3 artifact repository reads it:
 * MLFLOW_S3_ENDPOINT_URL for an S3-compatible store (MinIO, ...), the region from AWS_REGION or
 * AWS_DEFAULT_REGION; credentials stay with the AWS SDK's default chain (keys, OIDC role, ...).
 */
export function s3SourceFromEnv(env: Env): { endpoint?: string; region?: string } {
  const endpoint = env.MLFLOW_S3_ENDPOINT_URL?.trim() || undefined;
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || undefined;
  return { endpoint, region };
}
