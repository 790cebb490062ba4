export * from './kubeconfig.js';
export * from './kubeconfig-secrets.js';
export { isKubeconfigContent } from './kubeconfig-source.js';
export * from './kube-errors.js';
export * from './rollout-status.js';
export * from './rollout-api.js';
export * from './rollout-watch.js';
export * from './patches.js';
export * from './promotion.js';
