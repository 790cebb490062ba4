import { MlflowClient } from '../../packages/mlflow-client/src/index.js';

const retry = { maxRetries: 2, backoffFactor: 0.05, backoffJitter: 0, maxBackoffSeconds: 1, timeoutMs: 30_000 };

/** A client for tests (admin credentials when the server has the auth app). */
export function testClient(url: string, admin?: { username: string; password: string }): MlflowClient {
  return new MlflowClient({
    trackingUri: url,
    auth: admin ? { kind: 'basic', ...admin } : { kind: 'none' },
    retry,
  });
}

/**
 * A registered model of its own for one test (so tests never move the seeded models' aliases), with `count`
 * versions registered from an existing run's artifacts, as MLflow's client registers them.
 */
export async function modelWithVersions(
  client: MlflowClient,
  runId: string,
  count: number,
  prefix = 'alias-test',
): Promise<{ name: string; versions: string[] }> {
  const name = `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  await client.post('registered-models/create', { name });
  const run = await client.getRun(runId);
  const versions: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await client.post<{ model_version?: { version?: string } }>('model-versions/create', {
      name,
      source: `${run.info?.artifact_uri}/model`,
      run_id: runId,
    });
    versions.push(String(res.model_version?.version));
  }
  return { name, versions };
}
