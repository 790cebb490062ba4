import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { InputError } from '@mlflow-actions/action-kit/errors';

export type Env = Record<string, string | undefined>;

export interface LoadedKubeConfig {
  kc: KubeConfig;
  /** Where it came from, for logs: "input 'kubeconfig' (content)", "KUBECONFIG=/path", "in-cluster", ... */
  source: string;
  /** The context's namespace, the default when no namespace is given. */
  namespace: string | undefined;
  server: string;
}

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Content, not a path: a kubeconfig always spans lines (or is JSON), a path never does. */
export function isKubeconfigContent(value: string): boolean {
  return /[\r\n]/.test(value.trim()) || /^\s*(\{|apiVersion:|kind:|clusters:)/.test(value);
}

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

/**
 * Every credential the kubeconfig holds (tokens, passwords, client keys, token files' contents), for masking
 * before anything is parsed or printed. Never throws: a kubeconfig that does not load is reported later by
 * loadKubeConfig, and what looks like a credential in its text is masked anyway.
 */
export function kubeconfigSecrets(input: string | undefined, env: Env): string[] {
  const secrets = new Set<string>();
  const texts: string[] = [];
  try {
    const given = input?.trim();
    if (given) texts.push(isKubeconfigContent(given) ? given : readFileSync(given, 'utf8'));
    else if (env.KUBECONFIG)
      for (const p of env.KUBECONFIG.split(':')) if (p && existsSync(p)) texts.push(readFileSync(p, 'utf8'));
  } catch {
    // unreadable: loadKubeConfig says so
  }
  for (const text of texts) {
    // Whatever is shaped like a credential, even in a file that does not parse.
    for (const m of text.matchAll(
      /^\s*-?\s*(token|password|client-key-data|id-token|refresh-token|access-token|client-secret)\s*:\s*["']?([^"'\s#]+)/gm,
    )) {
      if (m[2]) secrets.add(m[2]);
    }
    try {
      const kc = new KubeConfig();
      kc.loadFromString(text);
      for (const u of kc.users) {
        for (const v of [u.token, u.password, u.keyData]) if (v) secrets.add(v);
        for (const [k, v] of Object.entries((u.authProvider?.config ?? {}) as Record<string, unknown>)) {
          if (typeof v === 'string' && /token|secret|key/i.test(k)) secrets.add(v);
        }
        const tokenFile = (u as { tokenFile?: string }).tokenFile;
        if (tokenFile && existsSync(tokenFile)) secrets.add(readFileSync(tokenFile, 'utf8').trim());
      }
    } catch {
      // the regex above covered it
    }
  }
  return [...secrets].filter((s) => s.length >= 4);
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
