export interface S3Server {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  kind: 'minio' | 'moto';
  dataDir: string;
  logFile: string;
  stop(): Promise<void>;
}
/** Runs install.sh (cached) and returns the server binary path. */
export function installS3Server(): Promise<string>;
export function startS3Server(options?: { dataDir?: string; timeoutMs?: number }): Promise<S3Server>;
