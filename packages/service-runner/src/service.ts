import type { ExitInfo } from '@mlflow-actions/http-checks';

/** A service under test, started by startContainer or startProcess. */
export interface RunningService {
  kind: 'container' | 'process';
  /** Container name, or the process group id as text. */
  id: string;
  baseUrl: string;
  hostPort: number;
  /** Settles when the container or process ends (for readiness to stop at once). */
  exited: Promise<ExitInfo>;
  /** The last `lines` lines of its output. */
  logs(lines?: number): Promise<string>;
  /** Removes the container / ends the whole process tree; safe to call twice. */
  stop(): Promise<void>;
  /** How a person removes it by hand (for keep-on-failure). */
  removeHint: string;
}

/** Known before the service starts, so it can be saved before anything could leak. */
export type CleanupState = { kind: 'container'; label: string } | { kind: 'process'; pidFile: string };
