import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { artifactNameProblem, handOverArtifact } from '../../packages/artifact-handover/src/index.js';
import type { Logger } from '../../packages/action-kit/src/log.js';
import {
  readZip,
  startArtifactService,
  startAzurite,
  type ArtifactService,
  type Azurite,
  type Injected,
} from '../helpers/artifact-service.js';
import { freePort } from '../../scripts/services/mlflow.mjs';

const work = mkdtempSync(join(tmpdir(), 'handover-'));
let azurite: Azurite;
const services: ArtifactService[] = [];
const savedEnv = { ...process.env };

beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterEach(() => {
  // @actions/artifact reads the runner's variables from the process environment.
  for (const k of ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL']) {
    if (savedEnv[k] === undefined) Reflect.deleteProperty(process.env, k);
    else process.env[k] = savedEnv[k];
  }
});
afterAll(async () => {
  for (const s of services) await s.close();
  azurite?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function service(inject?: (method: string) => Injected | undefined): Promise<ArtifactService> {
  const s = await startArtifactService(azurite, inject);
  services.push(s);
  Object.assign(process.env, s.env);
  return s;
}

function recordingLogger() {
  const lines = { info: [] as string[], warning: [] as string[] };
  const logger: Logger = {
    debug: () => undefined,
    info: (m) => lines.info.push(m),
    warning: (m) => lines.warning.push(m),
  };
  return { logger, lines };
}

function site(): { dir: string; files: Record<string, Buffer> } {
  const dir = mkdtempSync(join(work, 'site-'));
  const files: Record<string, Buffer> = {
    'index.html': Buffer.from('<!doctype html><title>model</title>'),
    'model_metadata.json': Buffer.from(JSON.stringify({ model_name: 'm', version: '3' })),
    'assets/app-3f2c1e.js': Buffer.from('console.log("viewer")'),
    'assets/deep/chart-data.bin': randomBytes(3 << 20),
  };
  for (const [rel, data] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), data);
  }
  return { dir, files };
}

describe('hand-over through @actions/artifact to a Twirp double with blobs in Azurite', () => {
  it('uploads a directory whole: names, sizes and contents read back from Azurite', async () => {
    const s = await service();
    const { dir, files } = site();
    const { logger, lines } = recordingLogger();
    const result = await handOverArtifact({ name: 'model-viewer-site', paths: [dir], logger });
    expect(result).toMatchObject({ uploaded: true, name: 'model-viewer-site', id: 1, files: 4 });
    expect(lines.warning).toEqual([]);
    expect(s.calls).toEqual(['CreateArtifact', 'FinalizeArtifact']);
    const [stored] = s.artifacts;
    expect(stored).toMatchObject({ name: 'model-viewer-site', finalized: true });
    const blob = await s.readBlob(stored!);
    expect(stored!.size).toBe(blob.length);
    expect(stored!.hash).toBe(`sha256:${createHash('sha256').update(blob).digest('hex')}`);
    const entries = readZip(blob);
    expect([...entries.keys()].sort()).toEqual(Object.keys(files).sort());
    for (const [rel, data] of Object.entries(files)) {
      expect(entries.get(rel)?.length, rel).toBe(data.length);
      expect(entries.get(rel)?.equals(data), rel).toBe(true);
    }
    // The next job finds it by name, as actions/download-artifact does.
    const listed = await new DefaultArtifactClient().listArtifacts();
    expect(listed.artifacts.map((a) => [a.name, a.size])).toEqual([['model-viewer-site', blob.length]]);
  });

  it('uploads one file at the root of the artifact', async () => {
    const s = await service();
    const file = join(mkdtempSync(join(work, 'meta-')), 'model_metadata.json');
    writeFileSync(file, JSON.stringify({ schema_version: 1, model_name: 'prod-recommendation-engine' }));
    const result = await handOverArtifact({ name: 'model-metadata', paths: [file], logger: recordingLogger().logger });
    expect(result.uploaded).toBe(true);
    const entries = readZip(await s.readBlob(s.artifacts[0]!));
    expect([...entries.keys()]).toEqual(['model_metadata.json']);
    expect(entries.get('model_metadata.json')?.equals(readFileSync(file))).toBe(true);
  });

  it('a service that refuses gives one warning line, no exception, and no artifact', async () => {
    const s = await service((m) =>
      m === 'CreateArtifact'
        ? { status: 403, code: 'permission_denied', msg: 'artifact storage quota reached' }
        : undefined,
    );
    const { dir } = site();
    const { logger, lines } = recordingLogger();
    const result = await handOverArtifact({ name: 'site', paths: [dir], logger });
    expect(result.uploaded).toBe(false);
    expect(lines.warning).toHaveLength(1);
    expect(lines.warning[0]).toMatch(
      /^artifact 'site' was not uploaded: .*artifact storage quota reached.*; the step's results are unaffected$/,
    );
    expect(lines.warning[0]).not.toContain('\n');
    expect(s.artifacts).toEqual([]);
  });

  it('a finalize that fails after the blob went up is a warning too', async () => {
    const s = await service((m) =>
      m === 'FinalizeArtifact' ? { status: 400, code: 'invalid_argument', msg: 'hash rejected' } : undefined,
    );
    const { dir } = site();
    const { logger, lines } = recordingLogger();
    expect((await handOverArtifact({ name: 'site', paths: [dir], logger })).uploaded).toBe(false);
    expect(lines.warning[0]).toContain('hash rejected');
    expect(s.artifacts.filter((a) => a.finalized)).toEqual([]);
  });

  it('an artifact service that cannot be reached is a warning', async () => {
    await service();
    process.env.ACTIONS_RESULTS_URL = `http://127.0.0.1:${await freePort()}/`;
    const { dir } = site();
    const { logger, lines } = recordingLogger();
    const result = await handOverArtifact({ name: 'site', paths: [dir], logger });
    expect(result.uploaded).toBe(false);
    expect(lines.warning[0]).toMatch(/^artifact 'site' was not uploaded: .*ECONNREFUSED/);
  });

  it('outside a runner nothing is attempted, and the warning says why', async () => {
    const { logger, lines } = recordingLogger();
    const result = await handOverArtifact({ name: 'site', paths: [work], logger, env: {} });
    expect(result).toEqual({
      uploaded: false,
      name: 'site',
      reason:
        'this step does not run on a GitHub Actions runner (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set)',
    });
    expect(lines.warning).toHaveLength(1);
  });

  it('names the toolkit would refuse are caught at the input check', () => {
    expect(artifactNameProblem('model-viewer_3.1')).toBeUndefined();
    expect(artifactNameProblem('a/b')).toMatch(/^contains a slash/);
    expect(artifactNameProblem('x:y')).toMatch(/^contains a colon/);
    expect(artifactNameProblem('  ')).toBe('is empty');
  });
});
