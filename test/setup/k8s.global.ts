import type { TestProject } from 'vitest/node';
// Plain JS shared with the benchmarks (types in cluster.d.mts).
import { startCluster } from '../../scripts/services/k8s/cluster.mjs';

/** What the tests get through inject('k8s'): enough to build a kubeconfig or call the API as admin. */
export interface K8sTestCluster {
  server: string;
  token: string;
  caData: string;
  kubeconfigPath: string;
  /** PIDs of the control plane's processes (a test may pause the Rollouts controller with SIGSTOP). */
  pids: Record<string, number>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    k8s: K8sTestCluster;
  }
}

/**
 * Builds (once, cached under ~/.cache/mlflow-actions/k8s; a cold build prints progress every 30 s) and starts
 * etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok and the Argo Rollouts controller for the
 * whole run. A failure to build or start fails the run with the reason: no test is skipped.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startCluster();
  project.provide('k8s', {
    server: cluster.server,
    token: cluster.token,
    caData: cluster.caData,
    kubeconfigPath: cluster.kubeconfigPath,
    pids: cluster.pids,
  });
  return () => cluster.stop();
}
