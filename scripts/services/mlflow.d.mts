export const MLFLOW_VERSION: string;
export const ADMIN: { username: string; password: string };
export function cacheRoot(): string;
export function ensureMlflowVenv(opts?: { log?: (m: string) => void }): string;
export function freePort(): Promise<number>;
export interface MlflowServer {
  url: string;
  port: number;
  dir: string;
  logFile: string;
  auth: 'none' | 'basic';
  admin?: { username: string; password: string };
  bearerToken?: string;
  pid: number;
  stop(): void;
}
export function startMlflowServer(opts?: {
  python?: string;
  auth?: 'none' | 'basic';
  dir?: string;
  bearerToken?: string;
  workers?: number;
  env?: Record<string, string>;
  /** How long to wait for /health (default 180 s). */
  startTimeoutSeconds?: number;
}): Promise<MlflowServer>;
export function seedMlflow(
  python: string,
  server: MlflowServer,
  outFile: string,
  extraArgs?: string[],
): Promise<SeedManifest>;
export interface SeedManifest {
  tracking_uri: string;
  experiment_id: string;
  users: Record<string, { password: string; denied_model: string }>;
  prod_model: {
    name: string;
    versions: Record<string, string>;
    run_ids: string[];
    git_commits: string[];
    aliases: Record<string, string>;
    stages: Record<string, string>;
    description_v3: string;
  };
  unicode_model: { name: string; version: string; run_id: string; experiment_id: string; alias: string };
  history_model: { name: string; version: string; run_id: string; metrics: number; steps: number };
  empty_model: { name: string };
  seeded_at: number;
}
