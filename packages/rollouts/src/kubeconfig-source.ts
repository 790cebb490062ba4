export type Env = Record<string, string | undefined>;

/** Content, not a path: a kubeconfig always spans lines (or is JSON), a path never does. */
export function isKubeconfigContent(value: string): boolean {
  return /[\r\n]/.test(value.trim()) || /^\s*(\{|apiVersion:|kind:|clusters:)/.test(value);
}
