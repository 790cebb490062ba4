import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { InputError } from '@mlflow-actions/action-kit/errors';

import { isKubeconfigContent, type Env } from './kubeconfig-source.js';

export type { Env };

export interface LoadedKubeConfig {
  kc: KubeConfig;
  /** Where it came from, for logs: "input 'kubeconfig' (content)", "KUBECONFIG=/path", "in-cluster", ... */
  source: string;
  /** The context's namespace, the default when no namespace is given. */
  namespace: string | undefined;
  server: string;
}

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * The kubeconfig as kubectl finds it: the `kubeconfig` input (content or a path), else KUBECONFIG (a
 * colon-separated list, merged), else ~/.kube/config, else the in-cluster service account.
 */
export function loadKubeConfig(input: string | undefined, env: Env): LoadedKubeConfig {
  const kc = new KubeConfig();
  let source: string;
  const given = input?.trim();
  if (given) {
    if (isKubeconfigContent(given)) {
      parseInto(kc, given, "input 'kubeconfig'");
      source = "input 'kubeconfig' (content)";
    } else {
      parseInto(kc, readOrFail(given, "input 'kubeconfig'"), `input 'kubeconfig' ('${given}')`);
      source = `input 'kubeconfig' (${given})`;
    }
  } else if (env.KUBECONFIG?.trim()) {
    const paths = env.KUBECONFIG.split(':').filter((p) => p.trim() !== '');
    const readable = paths.filter((p) => existsSync(p));
    if (readable.length === 0) {
      throw new InputError(
        `KUBECONFIG names no readable file (${paths.join(', ')}): fix the path or set input 'kubeconfig'`,
      );
    }
    // kubectl's merge: the first file to set a value wins, so later files are merged under earlier ones.
    for (const p of readable.reverse()) {
      const one = new KubeConfig();
      parseInto(one, readOrFail(p, 'KUBECONFIG'), `KUBECONFIG file '${p}'`);
      kc.mergeConfig(one);
      if (one.currentContext) kc.setCurrentContext(one.currentContext);
    }
    source = `KUBECONFIG (${readable.reverse().join(':')})`;
  } else if (env.HOME && existsSync(join(env.HOME, '.kube', 'config'))) {
    const p = join(env.HOME, '.kube', 'config');
    parseInto(kc, readOrFail(p, '~/.kube/config'), `'${p}'`);
    source = p;
  } else if (env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) {
    kc.loadFromCluster();
    source = 'in-cluster service account';
  } else {
    throw new InputError(
      "input 'kubeconfig': no kubeconfig found: give its content or path, set KUBECONFIG, or run inside the cluster",
    );
  }
  const context = kc.getContextObject(kc.getCurrentContext());
  const cluster = kc.getCurrentCluster();
  if (!cluster || !context) {
    throw new InputError(
      `${source}: current-context '${kc.getCurrentContext() || '(unset)'}' names no cluster: set current-context`,
    );
  }
  checkServer(cluster.server, source);
  return { kc, source, namespace: context.namespace, server: cluster.server };
}

function readOrFail(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new InputError(
      `${what}: cannot read kubeconfig file '${path}' (${code}): give a readable path or the content itself`,
    );
  }
}

function parseInto(kc: KubeConfig, text: string, what: string): void {
  try {
    kc.loadFromString(text);
  } catch (e) {
    // js-yaml's message quotes the offending lines, which may hold a credential: keep only the reason and line.
    const err = e as { reason?: string; mark?: { line?: number }; message?: string };
    const why = err.reason
      ? `${err.reason}${err.mark?.line !== undefined ? ` at line ${err.mark.line + 1}` : ''}`
      : String(err.message ?? e).split('\n')[0];
    throw new InputError(`${what}: not a valid kubeconfig (${why}): give a kubeconfig file as kubectl reads it`);
  }
  if (kc.clusters.length === 0)
    throw new InputError(`${what}: the kubeconfig has no clusters: give a complete kubeconfig`);
}

/** Credentials go only over https; plain http only to this machine. */
function checkServer(server: string, source: string): void {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new InputError(
      `${source}: cluster server '${server}' is not a URL: fix the kubeconfig's clusters[].cluster.server`,
    );
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new InputError(
      `${source}: cluster server '${server}' is not https: credentials are sent only over https (plain http only to loopback)`,
    );
  }
}
