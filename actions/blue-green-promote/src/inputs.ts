import { InputReader, type Env } from '@mlflow-actions/action-kit/inputs';
import { plainHttpCredentialsProblem } from '@mlflow-actions/action-kit/url-safety';
import {
  getCheck,
  headerVariables,
  parseChecks,
  variablesNamedIn,
  versionCheck,
  type HttpCheck,
} from '@mlflow-actions/http-checks/check-spec';
import {
  checkAliasName,
  mlflowSecrets,
  readMlflowConnection,
  readVersion,
  type MlflowConnection,
} from '@mlflow-actions/mlflow-client/connection-inputs';
import { kubeconfigSecrets } from '@mlflow-actions/rollouts/kubeconfig-secrets';

export type Mode = 'promote' | 'abort' | 'status' | 'rollback-registry';

export interface Inputs {
  mode: Mode;
  rollout: string;
  namespace: string | undefined;
  /** The `kubeconfig` input as given (content or path); resolution happens in the rollouts package. */
  kubeconfig: string | undefined;
  previewUrl: string | undefined;
  activeUrl: string | undefined;
  /**
   * What runs against each checked URL: the `checks` list (GET /health when none is given), then
   * the `expected-version` check.
   */
  checks: HttpCheck[];
  expectedVersion: string | undefined;
  timeoutSeconds: number;
  autoRollback: boolean;
  dryRun: boolean;
  registry:
    | {
        connection: MlflowConnection;
        modelName: string;
        modelVersion: string | undefined;
        promoteAlias: string;
        previousAlias: string | undefined;
      }
    | undefined;
  argocd: { server: string; app: string; token: string; expectedRevision: string | undefined } | undefined;
}

/**
 * Raw credentials, masked before anything is parsed: the kubeconfig's tokens, Argo CD's and MLflow's, and the
 * variables that check headers name as `${NAME}` (e.g. an admin token for a reload check).
 */
export function secretsOf(env: Env): string[] {
  const r = new InputReader(env);
  return [
    ...kubeconfigSecrets(r.optional('kubeconfig'), env),
    r.optional('argocd-token'),
    ...mlflowSecrets(r, env),
    ...variablesNamedIn(r.optional('checks')).map((name) => env[name]),
  ].filter((s): s is string => !!s);
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function parseInputs(env: Env): Inputs {
  const r = new InputReader(env);
  const mode = r.choice('action', ['promote', 'abort', 'status', 'rollback-registry'] as const, 'promote');
  const rollout = mode === 'rollback-registry' ? r.raw('rollout') : r.required('rollout', "the Rollout's name");
  if (rollout && !NAME.test(rollout))
    r.problem(`input 'rollout' must be a Kubernetes object name (lower case, digits, '-', '.'), got '${rollout}'`);
  const namespace = r.optional('namespace');
  if (namespace && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) {
    r.problem(`input 'namespace' must be a Kubernetes namespace name, got '${namespace}'`);
  }
  const url = (name: string) => {
    const v = r.optional(name);
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
      return v.replace(/\/+$/, '');
    } catch {
      r.problem(`input '${name}' must be an http(s) URL of the service to check, got '${v}'`);
      return undefined;
    }
  };
  const previewUrl = url('preview-url');
  const activeUrl = url('active-url');
  const checksText = r.optional('checks');
  const listed = r.collect(() => parseChecks(checksText ?? '', "input 'checks'")) ?? [];
  const secretHeaders = headerVariables(listed);
  for (const name of secretHeaders) {
    if (!env[name])
      r.problem(`input 'checks' names \${${name}} in a header, but ${name} is not set: give it in the step's env`);
  }
  // Header values taken from the environment are credentials (an admin token, say).
  for (const [name, value] of [
    ['preview-url', previewUrl],
    ['active-url', activeUrl],
  ] as const) {
    const insecure =
      secretHeaders.length && value ? plainHttpCredentialsProblem(new URL(value), 'check headers', name) : undefined;
    if (insecure) r.problem(insecure);
  }
  const expectedVersion = r.optional('expected-version');
  const checks = [
    // Without a `checks` list, every URL must at least answer GET /health with a 2xx.
    ...(checksText ? listed : [getCheck('/health')]),
    ...(expectedVersion ? [versionCheck(expectedVersion)] : []),
  ];
  if ((checksText || expectedVersion) && !previewUrl && !activeUrl && mode === 'promote') {
    r.problem("inputs 'checks' and 'expected-version' need 'preview-url' or 'active-url' to run against");
  }
  const timeoutSeconds = r.integer('timeout-seconds', 600, { min: 1, max: 6 * 3600 });
  const autoRollback = r.boolean('auto-rollback', true);
  const dryRun = r.boolean('dry-run', false);

  const promoteAlias = r.optional('promote-alias');
  const previousAlias = r.optional('previous-alias');
  const modelName = r.optional('model-name');
  let registry: Inputs['registry'];
  const wantsRegistry = !!(promoteAlias || modelName || mode === 'rollback-registry');
  if (wantsRegistry) {
    const connection = readMlflowConnection(r, env, { required: true });
    if (!modelName) r.problem("input 'model-name' is required to move MLflow aliases ('promote-alias' is set)");
    if (!promoteAlias) r.problem("input 'promote-alias' is required with 'model-name' (e.g. production)");
    else checkAliasName(r, 'promote-alias', promoteAlias);
    if (previousAlias) checkAliasName(r, 'previous-alias', previousAlias);
    if (previousAlias && previousAlias === promoteAlias)
      r.problem("input 'previous-alias' must differ from 'promote-alias'");
    const rawVersion = r.optional('model-version');
    let modelVersion: string | undefined;
    if (mode === 'promote') {
      if (!rawVersion) r.problem("input 'model-version' is required to move 'promote-alias' after the promotion");
      else modelVersion = readVersion(r, 'model-version', rawVersion);
    }
    if (mode === 'rollback-registry' && !previousAlias) {
      r.problem(
        "input 'previous-alias' is required for action 'rollback-registry': it names the version to go back to",
      );
    }
    if (connection)
      registry = {
        connection,
        modelName: modelName ?? '',
        modelVersion,
        promoteAlias: promoteAlias ?? '',
        previousAlias,
      };
  }

  let argocd: Inputs['argocd'];
  const argoServer = r.optional('argocd-server');
  const argoApp = r.optional('argocd-app');
  if (argoServer || argoApp) {
    if (!argoServer) r.problem("input 'argocd-server' is required with 'argocd-app'");
    if (!argoApp) r.problem("input 'argocd-app' is required with 'argocd-server'");
    const token = r.optional('argocd-token');
    if (!token) r.problem("input 'argocd-token' is required to read the Argo CD application");
    argocd = {
      server: argoServer ?? '',
      app: argoApp ?? '',
      token: token ?? '',
      expectedRevision: r.optional('expected-revision'),
    };
  } else if (r.optional('expected-revision')) {
    r.problem(
      "input 'expected-revision' needs 'argocd-server' and 'argocd-app' (it is the revision Argo CD must have synced)",
    );
  }
  r.done();
  return {
    mode,
    rollout,
    namespace,
    kubeconfig: r.optional('kubeconfig'),
    previewUrl,
    activeUrl,
    checks,
    expectedVersion,
    timeoutSeconds,
    autoRollback,
    dryRun,
    registry,
    argocd,
  };
}
