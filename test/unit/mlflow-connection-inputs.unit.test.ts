import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputReader, type Env } from '../../packages/action-kit/src/inputs.js';
import { MLFLOW_DEFAULT_RETRY } from '../../packages/mlflow-client/src/config.js';
import { mlflowSecrets, readMlflowConnection } from '../../packages/mlflow-client/src/connection-inputs.js';

const tmp = mkdtempSync(join(tmpdir(), 'conn-inputs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function read(env: Env, opts: Parameters<typeof readMlflowConnection>[2] = { required: true }) {
  const r = new InputReader(env);
  const connection = readMlflowConnection(r, env, opts);
  return { connection, problems: r.problems };
}

describe('readMlflowConnection', () => {
  const uri = { 'INPUT_TRACKING-URI': 'https://mlflow.example.com/' };

  it("reads 'timeout-seconds' only for an action whose input is one request's timeout", () => {
    // blue-green-promote's timeout-seconds (action.yml default 600) bounds the whole promotion.
    const env = { ...uri, 'INPUT_TIMEOUT-SECONDS': '600' };
    expect(read(env).connection?.retry.timeoutMs).toBe(MLFLOW_DEFAULT_RETRY.timeoutMs);
    const own = read(env, { required: true, requestTimeoutInput: 'timeout-seconds' });
    expect(own.connection?.retry.timeoutMs).toBe(600_000);
    expect(read({ ...uri, 'INPUT_TIMEOUT-SECONDS': '0' }).problems).toEqual([]);
    expect(
      read({ ...uri, 'INPUT_TIMEOUT-SECONDS': '0' }, { required: true, requestTimeoutInput: 'timeout-seconds' })
        .problems,
    ).toEqual(["input 'timeout-seconds' must be a number of at least 1, got '0'"]);
  });

  it('refuses credentials over plain http to another host; loopback, https and no credentials are fine', () => {
    const off = { 'INPUT_TRACKING-URI': 'http://mlflow.internal:5000', MLFLOW_TRACKING_TOKEN: 'tok' };
    expect(read(off).problems).toEqual([
      "input 'tracking-uri' is plain http to mlflow.internal:5000, where MLflow credentials would travel " +
        'unencrypted: use https (plain http is allowed only to a loopback address)',
    ]);
    expect(read({ 'INPUT_TRACKING-URI': 'http://u:p@mlflow.internal:5000' }).problems).toHaveLength(1);
    expect(read({ ...off, 'INPUT_TRACKING-URI': 'http://127.0.0.1:5000' }).problems).toEqual([]);
    expect(read({ ...off, 'INPUT_TRACKING-URI': 'https://mlflow.internal' }).problems).toEqual([]);
    expect(read({ 'INPUT_TRACKING-URI': 'http://mlflow.internal:5000' }).problems).toEqual([]);
  });

  it('collects a bad MLFLOW_HTTP_REQUEST_* variable with the other problems instead of throwing', () => {
    const { problems } = read({ 'INPUT_MAX-RETRIES': 'x', MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: '-1' });
    expect(problems).toEqual([
      "input 'tracking-uri' is required: set it, or the MLFLOW_TRACKING_URI environment variable, to the tracking server's http(s) URL",
      "input 'max-retries' must be a whole number between 0 and 50, got 'x'",
      "environment variable MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR must be a non-negative number, got '-1'",
    ]);
  });

  it('refuses MLFLOW_TRACKING_INSECURE_TLS=true with a server certificate, as MLflow does', () => {
    const ca = join(tmp, 'ca.pem');
    writeFileSync(ca, '');
    const both = { ...uri, MLFLOW_TRACKING_INSECURE_TLS: 'true', MLFLOW_TRACKING_SERVER_CERT_PATH: ca };
    expect(read(both).problems).toEqual([
      'MLFLOW_TRACKING_INSECURE_TLS and MLFLOW_TRACKING_SERVER_CERT_PATH are mutually exclusive (as in MLflow): set only one',
    ]);
    expect(read({ ...both, MLFLOW_TRACKING_INSECURE_TLS: 'false' }).connection?.tls).toEqual({
      insecure: false,
      caCertPath: ca,
    });
  });

  it('without a required tracking URI still checks the credentials', () => {
    expect(read({ INPUT_USERNAME: 'u' }).problems).toEqual([
      "input 'tracking-uri' is required: set it, or the MLFLOW_TRACKING_URI environment variable, to the tracking server's http(s) URL",
      "input 'username' is set without 'password' (or MLFLOW_TRACKING_PASSWORD): basic auth needs both",
    ]);
    expect(read({ INPUT_USERNAME: 'u' }, { required: false })).toEqual({ connection: undefined, problems: [] });
  });
});

describe('mlflowSecrets', () => {
  it("masks the tracking URI's user-info raw and decoded, even when it is no valid URL", () => {
    const env = { 'INPUT_TRACKING-URI': 'ftp://bot:p%40ss@host', MLFLOW_TRACKING_TOKEN: 'tok' };
    const secrets = mlflowSecrets(new InputReader(env), env);
    expect(secrets).toEqual(expect.arrayContaining(['tok', 'p%40ss', 'p@ss']));
  });
});
