// Acceptance 3 of issue 11, on every input error: each bundle in dist/ is given every credential
// it accepts (inputs, MLflow's and AWS's variables, a kubeconfig, credentials in a URL) together
// with one bad input at a time. Whatever fails, the runner must have seen every credential masked
// before any other line of the step. No server is needed: an input error stops before the network.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { maskProblems } from '../helpers/mask-order.js';
import { repoRoot, runActionBundle } from '../helpers/run-action.js';

const dir = mkdtempSync(join(tmpdir(), 'mask-first-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const secret = (what: string) => `${what}-${Math.random().toString(36).slice(2, 12)}-secret`;
const C = {
  mlflowPassword: secret('mlflow-password'),
  mlflowToken: secret('mlflow-token'),
  uriPassword: secret('uri-password'),
  gitToken: secret('ghp'),
  jobToken: secret('ghs'),
  repoToken: secret('x-access-token'),
  awsSecret: secret('aws-secret'),
  awsSession: secret('aws-session'),
  kubeToken: secret('kube-token'),
  argocdToken: secret('argocd-token'),
  checkHeader: secret('admin-token'),
};
const kubeconfig = join(dir, 'kubeconfig');
// Block style, as kubectl writes it.
writeFileSync(
  kubeconfig,
  `apiVersion: v1
kind: Config
clusters:
  - name: c
    cluster:
      server: https://127.0.0.1:1
users:
  - name: u
    user:
      token: ${C.kubeToken}
contexts:
  - name: x
    context:
      cluster: c
      user: u
current-context: x
`,
);
const siteDir = join(dir, 'site');
const metadataFile = join(dir, 'model_metadata.json');
writeFileSync(metadataFile, '{}\n');

const mlflowEnv = { MLFLOW_TRACKING_PASSWORD: C.mlflowPassword, MLFLOW_TRACKING_TOKEN: C.mlflowToken };
const mlflowInputs = {
  'tracking-uri': `http://ci:${C.uriPassword}@127.0.0.1:1`,
  password: C.mlflowPassword,
  token: C.mlflowToken,
};
const gitInputs = { token: C.gitToken, 'job-token': C.jobToken };

interface Case {
  inputs: Record<string, string>;
  env?: Record<string, string>;
  credentials: string[];
  /** One bad input each: every one must be an input error. */
  mistakes: Record<string, Record<string, string>>;
}
const mlflowCreds = [C.mlflowPassword, C.mlflowToken, C.uriPassword];
const cases: Record<string, Case> = {
  'mlflow-metadata': {
    inputs: { ...mlflowInputs, 'model-name': 'm', 'model-version': '1', 'download-dir': join(dir, 'model') },
    // download-dir reads s3:// sources with the AWS SDK's credentials.
    env: {
      ...mlflowEnv,
      AWS_ACCESS_KEY_ID: 'AKIATEST',
      AWS_SECRET_ACCESS_KEY: C.awsSecret,
      AWS_SESSION_TOKEN: C.awsSession,
    },
    credentials: [...mlflowCreds, C.awsSecret, C.awsSession],
    mistakes: {
      'download-dir that is a file': { 'download-dir': metadataFile },
      'bad artifact-name': { 'artifact-name': 'a/b' },
      'no model-name': { 'model-name': '' },
      'two version selectors': { 'model-alias': 'champion' },
      'bad timeout-seconds': { 'timeout-seconds': 'soon' },
      'malformed tracking-uri': { 'tracking-uri': `https://ci:${C.uriPassword}@` },
    },
  },
  'mlflow-alias': {
    inputs: { ...mlflowInputs, 'model-name': 'm', alias: 'staging', 'model-version': '1' },
    env: mlflowEnv,
    credentials: mlflowCreds,
    mistakes: {
      'bad alias': { alias: 'no spaces allowed' },
      'bad version': { 'model-version': 'one' },
      'bad delete': { delete: 'yes' },
    },
  },
  'blue-green-promote': {
    inputs: {
      ...mlflowInputs,
      rollout: 'model-server',
      namespace: 'prod',
      kubeconfig,
      'argocd-token': C.argocdToken,
      'preview-url': 'http://127.0.0.1:1',
      checks: '- path: /admin/reload\n  method: POST\n  headers: { x-admin-token: "${ADMIN_TOKEN}" }',
    },
    env: { ...mlflowEnv, ADMIN_TOKEN: C.checkHeader },
    credentials: [...mlflowCreds, C.kubeToken, C.argocdToken, C.checkHeader],
    mistakes: {
      'malformed checks': { checks: '- path: reload\n  headers: { x-admin-token: "${ADMIN_TOKEN}" }' },
      'bad action': { action: 'promot' },
      'bad timeout': { 'timeout-seconds': 'soon' },
      'bad auto-rollback': { 'auto-rollback': 'maybe' },
    },
  },
  'hiera-bump': {
    inputs: { ...gitInputs, repository: 'acme/puppet', key: 'k', value: 'v' },
    credentials: [C.gitToken, C.jobToken, C.repoToken],
    mistakes: {
      'bad mode': { mode: 'pusj', repository: `https://x-access-token:${C.repoToken}@github.com/acme/puppet` },
      'malformed repository': { repository: 'https://' },
      'repository starting with -': { repository: '-foo' },
      'no key': { key: '', repository: `https://x-access-token:${C.repoToken}@github.com/acme/puppet` },
    },
  },
  'gitops-image-bump': {
    inputs: { ...gitInputs, repository: 'acme/gitops', files: 'apps/*.yaml', image: 'ghcr.io/acme/app', tag: '1' },
    credentials: [C.gitToken, C.jobToken, C.repoToken],
    mistakes: {
      'bad image': { image: 'Not An Image', repository: `https://x-access-token:${C.repoToken}@github.com/acme/g` },
      'bad digest': { digest: 'sha256:nothex' },
      'bad max-attempts': { 'max-attempts': 'many' },
    },
  },
  's3-publish': {
    inputs: { 'source-dir': siteDir, bucket: 'viewer', 'artifact-version': 'a-1' },
    env: { AWS_ACCESS_KEY_ID: 'AKIATEST', AWS_SECRET_ACCESS_KEY: C.awsSecret, AWS_SESSION_TOKEN: C.awsSession },
    credentials: [C.awsSecret, C.awsSession],
    mistakes: {
      'missing source-dir': { 'source-dir': join(dir, 'nowhere') },
      'bad bucket': { bucket: 's3://viewer' },
      'bad overwrite': { overwrite: 'yes' },
      'malformed endpoint': { endpoint: 'https://' },
    },
  },
  'ephemeral-test': {
    inputs: {
      image: 'localhost/model-server:1',
      port: '8080',
      env: 'API_ADMIN_TOKEN',
      checks: '- path: /admin/reload\n  method: POST\n  headers: { x-admin-token: "${ADMIN_TOKEN}" }',
    },
    env: { API_ADMIN_TOKEN: C.checkHeader, ADMIN_TOKEN: C.checkHeader },
    credentials: [C.checkHeader],
    mistakes: {
      'both image and command': { command: 'node server.mjs' },
      'malformed checks': { checks: '- path: reload\n  headers: { x-admin-token: "${ADMIN_TOKEN}" }' },
      // The pasted value must be masked although no variable holds it (no checks name one here).
      'a value in env': { env: `API_ADMIN_TOKEN=${C.checkHeader}`, checks: '- path: /version' },
      'bad load-connections': { 'load-duration-seconds': '5', 'load-connections': 'lots' },
    },
  },
  // build-viewer takes no credential; its input errors are checked here for completeness of dist/.
  'build-viewer': {
    inputs: { 'metadata-file': metadataFile, 'output-dir': join(dir, 'out') },
    credentials: [],
    mistakes: {
      'missing metadata-file': { 'metadata-file': join(dir, 'nowhere.json') },
      'bad base-path': { 'base-path': 'https://elsewhere/' },
    },
  },
};

it('covers every bundle in dist/', () => {
  expect(Object.keys(cases).sort()).toEqual(readdirSync(join(repoRoot, 'dist')).sort());
});

describe.each(Object.entries(cases))('%s', (name, c) => {
  it.each(Object.entries(c.mistakes))('%s: an input error, every credential masked first', async (_, bad) => {
    const inputs = { ...c.inputs, ...bad };
    // Only an input error may end the step: were one accepted, the check must not go on to the network.
    const env = { ...c.env, MLFLOW_ACTIONS_INPUTS_ONLY: 'true' };
    const r = await runActionBundle(name, inputs, { env, cwd: dir });
    // The credentials this run was given (a mistake may replace the one input that held one).
    const given = JSON.stringify([inputs, c.env]);
    const credentials = c.credentials.filter((x) => given.includes(x) || x === C.kubeToken);
    expect(r.code, r.stdout).not.toBe(0);
    expect(r.errors.length, r.stdout).toBeGreaterThan(0);
    expect(r.errors.join('\n')).toMatch(new RegExp(`^${name}: `));
    expect(maskProblems(r, credentials), r.stdout).toEqual([]);
  });
});
