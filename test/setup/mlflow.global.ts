import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import {
  ensureMlflowVenv,
  seedMlflow,
  startMlflowServer,
  type MlflowServer,
  type SeedManifest,
} from '../../scripts/services/mlflow.mjs';

export interface MlflowFixture {
  python: string;
  plain: { url: string; seed: SeedManifest; logFile: string };
  auth: {
    url: string;
    seed: SeedManifest;
    admin: { username: string; password: string };
    bearerToken: string;
    logFile: string;
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    mlflow: MlflowFixture;
  }
}

/**
 * Starts two real MLflow servers once per run (one open, one with the basic-auth app) and
 * seeds both with MLflow's own client. If anything fails the whole run fails and says why:
 * no test is skipped for want of a server.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const python = ensureMlflowVenv();
  const servers: MlflowServer[] = [];
  try {
    const started = await Promise.allSettled([
      startMlflowServer({ python }),
      startMlflowServer({ python, auth: 'basic' }),
    ]);
    for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    const [plain, auth] = servers as [MlflowServer, MlflowServer];
    const dir = mkdtempSync(join(tmpdir(), 'mlflow-seed-'));
    // Seeding is mostly waiting on the servers, so both run at once.
    const [plainSeed, authSeed] = await Promise.all([
      seedMlflow(python, plain, join(dir, 'plain.json')),
      seedMlflow(python, auth, join(dir, 'auth.json')),
    ]);
    project.provide('mlflow', {
      python,
      plain: { url: plain.url, seed: plainSeed, logFile: plain.logFile },
      auth: {
        url: auth.url,
        seed: authSeed,
        admin: auth.admin!,
        bearerToken: auth.bearerToken!,
        logFile: auth.logFile,
      },
    });
  } catch (e) {
    for (const s of servers) s.stop();
    throw e;
  }
  return () => {
    for (const s of servers) s.stop();
  };
}
