import { existsSync } from 'node:fs';
import { credentialsInUrl, type InputReader } from '@mlflow-actions/action-kit/inputs';
import type { RetryPolicy, TlsOptions } from '@mlflow-actions/action-kit/http';
import type { Auth } from './client.js';
import { plainHttpCredentialsProblem } from '@mlflow-actions/action-kit/url-safety';
import { MLFLOW_DEFAULT_RETRY, resolveAuth, retryPolicyFromEnv, type Env } from './config.js';

/** How to reach a tracking server, as every action that talks to MLflow takes it. */
export interface MlflowConnection {
  trackingUri: string;
  auth: Auth;
  secrets: string[];
  tls: TlsOptions;
  retry: RetryPolicy;
}

/**
 * The raw credential values of the MLflow inputs and environment, for masking before anything is parsed.
 * Credentials in the tracking URI's user-info count too.
 */
export function mlflowSecrets(r: InputReader, env: Env): string[] {
  const uri = r.optional('tracking-uri') ?? env.MLFLOW_TRACKING_URI;
  const out = [r.optional('password'), r.optional('token'), env.MLFLOW_TRACKING_PASSWORD, env.MLFLOW_TRACKING_TOKEN];
  return [...out, ...credentialsInUrl(uri)].filter((s): s is string => !!s && s.trim() !== '');
}

/**
 * `tracking-uri` (default MLFLOW_TRACKING_URI), `username`/`password`/`token` (default MLflow's variables),
 * `max-retries`, MLflow's retry and TLS variables, problems collected in the reader.
 * `required: false` lets an action skip the registry side when no tracking URI is given.
 * `requestTimeoutInput` names the action's input for one request's timeout (mlflow-metadata's `timeout-seconds`);
 * without it that input is not read, as blue-green-promote's `timeout-seconds` bounds the whole promotion.
 */
export function readMlflowConnection(
  r: InputReader,
  env: Env,
  opts: { required: boolean; requestTimeoutInput?: 'timeout-seconds' },
): MlflowConnection | undefined {
  const raw = r.optional('tracking-uri') ?? nonEmpty(env.MLFLOW_TRACKING_URI) ?? '';
  if (raw === '' && !opts.required) return undefined;
  const username = r.optional('username') ?? nonEmpty(env.MLFLOW_TRACKING_USERNAME);
  const password = r.optional('password') ?? nonEmpty(env.MLFLOW_TRACKING_PASSWORD);
  const token = r.optional('token') ?? nonEmpty(env.MLFLOW_TRACKING_TOKEN);
  let conn: Pick<MlflowConnection, 'trackingUri' | 'auth' | 'secrets'> | undefined;
  if (raw === '') {
    r.problem(
      "input 'tracking-uri' is required: set it, or the MLFLOW_TRACKING_URI environment variable, to the tracking server's http(s) URL",
    );
  } else if (!/^https?:\/\//i.test(raw)) {
    r.problem(
      `input 'tracking-uri' must be the http(s) URL of an MLflow tracking server, got '${redact(
        raw,
      )}' (file: stores and 'databricks' are not served over MLflow's REST API)`,
    );
  } else {
    try {
      const resolved = resolveAuth(raw, { username, password, token });
      conn = { trackingUri: resolved.uri, auth: resolved.auth, secrets: resolved.secrets };
      const insecure =
        resolved.auth.kind === 'none'
          ? undefined
          : plainHttpCredentialsProblem(new URL(resolved.uri), 'MLflow credentials', 'tracking-uri');
      if (insecure) r.problem(insecure);
    } catch {
      r.problem(`input 'tracking-uri' is not a valid URL: '${redact(raw)}'`);
    }
  }
  if (username && !password && !/:[^/@]*@/.test(raw)) {
    r.problem("input 'username' is set without 'password' (or MLFLOW_TRACKING_PASSWORD): basic auth needs both");
  }
  // Checked even without a usable URI, so that every problem is reported at once.
  const retry = readRetry(r, env, opts.requestTimeoutInput);
  const tls = readTls(r, env);
  return conn && { ...conn, tls, retry };
}

/** `max-retries` (and the request-timeout input, if the action has one) over MLflow's MLFLOW_HTTP_REQUEST_* variables. */
function readRetry(r: InputReader, env: Env, timeoutInput: string | undefined): RetryPolicy {
  const d = MLFLOW_DEFAULT_RETRY;
  const maxRetries =
    r.optional('max-retries') !== undefined ? r.integer('max-retries', d.maxRetries, { min: 0, max: 50 }) : undefined;
  const timeoutSeconds =
    timeoutInput !== undefined && r.optional(timeoutInput) !== undefined
      ? r.number(timeoutInput, d.timeoutMs / 1000, { min: 1 })
      : undefined;
  return r.collect(() => retryPolicyFromEnv(env, { maxRetries, timeoutSeconds })) ?? { ...d };
}

/** MLflow's TLS variables, checked as MLflow checks them. */
function readTls(r: InputReader, env: Env): TlsOptions {
  const tls: TlsOptions = {};
  const insecure = nonEmpty(env.MLFLOW_TRACKING_INSECURE_TLS);
  if (insecure !== undefined) {
    if (!/^(true|false)$/i.test(insecure))
      r.problem(`MLFLOW_TRACKING_INSECURE_TLS must be true or false, got '${insecure}'`);
    tls.insecure = /^true$/i.test(insecure);
  }
  for (const [name, key] of [
    ['MLFLOW_TRACKING_SERVER_CERT_PATH', 'caCertPath'],
    ['MLFLOW_TRACKING_CLIENT_CERT_PATH', 'clientCertPath'],
  ] as const) {
    const p = nonEmpty(env[name]);
    if (p === undefined) continue;
    if (!existsSync(p)) r.problem(`${name} points at '${p}', which does not exist`);
    tls[key] = p;
  }
  if (tls.insecure && tls.caCertPath) {
    r.problem(
      'MLFLOW_TRACKING_INSECURE_TLS and MLFLOW_TRACKING_SERVER_CERT_PATH are mutually exclusive (as in MLflow): set only one',
    );
  }
  return tls;
}

/** MLflow aliases: letters, digits, '_' and '-'; 'latest' and 'v<N>' are reserved by MLflow. */
export function checkAliasName(r: InputReader, input: string, alias: string): void {
  if (!/^[\w-]+$/.test(alias) || alias.length > 255) {
    r.problem(`input '${input}' may hold only letters, digits, '_' and '-', got '${alias}'`);
  } else if (/^(latest|v\d+)$/i.test(alias)) {
    r.problem(`input '${input}' '${alias}' is reserved by MLflow: choose another alias name`);
  }
}

/** A version number as MLflow writes it ("3"); a leading "v" is accepted. */
export function readVersion(r: InputReader, input: string, value: string): string {
  const v = value.replace(/^v(?=\d)/i, '');
  if (!/^[1-9]\d*$/.test(v)) r.problem(`input '${input}' must be a positive integer such as 3, got '${value}'`);
  return v;
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

function redact(s: string): string {
  return s.replace(/\/\/[^/@]*@/, '//***@');
}
