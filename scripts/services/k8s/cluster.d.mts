export interface KubeResponse {
  status: number;
  text: string;
}
export interface TestCluster {
  /** https://127.0.0.1:PORT */
  server: string;
  /** The admin token (group system:masters). */
  token: string;
  /** Base64 of the API server's self-signed certificate, as kubeconfig's certificate-authority-data. */
  caData: string;
  kubeconfig: string;
  kubeconfigPath: string;
  dir: string;
  binDir: string;
  /** With auditRollouts: the API server's JSON audit log of every patch/update of a Rollout. */
  auditLogPath?: string;
  pids: Record<string, number>;
  request(method: string, path: string, body?: string, contentType?: string): Promise<KubeResponse>;
  stop(): Promise<void>;
}
export function ensureClusterBinaries(opts?: { log?: (m: string) => void }): Promise<string>;
export function startCluster(opts?: {
  log?: (m: string) => void;
  timeoutMs?: number;
  auditRollouts?: boolean;
}): Promise<TestCluster>;
export function kubeconfigYaml(opts: {
  server: string;
  caData: string;
  user: string;
  token: string;
  namespace?: string;
}): string;
export function kubeRequest(
  target: { server: string; token: string; ca: Buffer },
  method: string,
  path: string,
  body?: string,
  contentType?: string,
): Promise<KubeResponse>;
