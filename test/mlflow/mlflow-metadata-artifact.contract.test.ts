import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  readZip,
  startArtifactService,
  startAzurite,
  type ArtifactService,
  type Azurite,
} from '../helpers/artifact-service.js';
import { runActionBundle } from '../helpers/run-action.js';

// mlflow-metadata's `artifact-name` against the real MLflow server and the Twirp double of the
// artifact service (from @actions/artifact's own messages), blobs in a real Azurite. A contract
// test that needs MLflow: it runs in the mlflow project.
const { plain } = inject('mlflow');
const prod = plain.seed.prod_model;
let azurite: Azurite;
const services: ArtifactService[] = [];
const work = mkdtempSync(join(tmpdir(), 'mm-artifact-'));
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(async () => {
  for (const s of services) await s.close();
  azurite?.stop();
  rmSync(work, { recursive: true, force: true });
});

const inputs = {
  'tracking-uri': plain.url,
  'model-name': prod.name,
  'model-version': '3',
  'artifact-name': 'model-metadata',
};

describe('mlflow-metadata hands the metadata file over as a workflow artifact', () => {
  it('the artifact holds the metadata file, byte for byte', async () => {
    const s = await startArtifactService(azurite);
    services.push(s);
    const cwd = mkdtempSync(join(work, 'ok-'));
    const run = await runActionBundle('mlflow-metadata', inputs, { cwd, env: s.env });
    expect(run.errors).toEqual([]);
    expect(run.warnings).toEqual([]);
    const zip = readZip(await s.readBlob(s.artifacts[0]!));
    expect([...zip.keys()]).toEqual(['model_metadata.json']);
    expect(zip.get('model_metadata.json')?.equals(readFileSync(join(cwd, 'model_metadata.json')))).toBe(true);
    expect(s.artifacts[0]).toMatchObject({ name: 'model-metadata', finalized: true });
  });

  it('a service that cannot take it is a warning; the metadata and outputs stand', async () => {
    const s = await startArtifactService(azurite, (m) => (m === 'CreateArtifact' ? 'drop' : undefined));
    services.push(s);
    const cwd = mkdtempSync(join(work, 'down-'));
    const run = await runActionBundle('mlflow-metadata', inputs, {
      cwd,
      env: { ...s.env, ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/' },
    });
    expect(run.code).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toMatch(/^mlflow-metadata: artifact 'model-metadata' was not uploaded: /);
    expect(run.outputs['model-version']).toBe('3');
    const written = JSON.parse(readFileSync(join(cwd, 'model_metadata.json'), 'utf8')) as { version: string };
    expect(written.version).toBe('3');
  });
});
