import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readZip,
  startArtifactService,
  startAzurite,
  type ArtifactService,
  type Azurite,
} from '../helpers/artifact-service.js';
import { runActionBundle } from '../helpers/run-action.js';
import { makeMetadata, tempDir, writeMetadata } from '../viewer/fixtures.js';

// build-viewer's `artifact-name`, run as the runner runs the bundle, against the Twirp double
// (built from @actions/artifact's own messages) with the blob in a real Azurite.
let azurite: Azurite;
const services: ArtifactService[] = [];
const dirs: string[] = [];
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(async () => {
  for (const s of services) await s.close();
  azurite?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function filesUnder(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[relative(dir, join(e.parentPath, e.name))] = readFileSync(join(e.parentPath, e.name));
  }
  return out;
}

describe('build-viewer hands the site over as a workflow artifact', () => {
  it('the artifact holds the site exactly as written to output-dir', async () => {
    const s = await startArtifactService(azurite);
    services.push(s);
    const cwd = tempDir('viewer-artifact-');
    dirs.push(cwd);
    writeMetadata(makeMetadata(), cwd);
    const run = await runActionBundle(
      'build-viewer',
      { 'output-dir': 'site', 'artifact-name': 'model-viewer' },
      { cwd, env: s.env },
    );
    expect(run.errors).toEqual([]);
    expect(run.warnings).toEqual([]);
    expect(run.code).toBe(0);
    expect(s.artifacts.map((a) => [a.name, a.finalized])).toEqual([['model-viewer', true]]);
    const zip = readZip(await s.readBlob(s.artifacts[0]!));
    const site = filesUnder(join(cwd, 'site'));
    expect([...zip.keys()].sort()).toEqual(Object.keys(site).sort());
    for (const [rel, data] of Object.entries(site)) expect(zip.get(rel)?.equals(data), rel).toBe(true);
    expect(run.summary).toContain('Artifact `model-viewer`: ');
  });

  it('an artifact service that fails is a warning: the step succeeds and its outputs stand', async () => {
    const s = await startArtifactService(azurite, (m) =>
      m === 'CreateArtifact'
        ? { status: 403, code: 'permission_denied', msg: 'artifacts are disabled for this repository' }
        : undefined,
    );
    services.push(s);
    const cwd = tempDir('viewer-artifact-');
    dirs.push(cwd);
    writeMetadata(makeMetadata(), cwd);
    const run = await runActionBundle(
      'build-viewer',
      { 'output-dir': 'site', 'artifact-name': 'model-viewer' },
      { cwd, env: s.env },
    );
    expect(run.code).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toMatch(
      /^build-viewer: artifact 'model-viewer' was not uploaded: .*artifacts are disabled for this repository/,
    );
    expect(run.outputs['output-dir']).toBe(join(cwd, 'site'));
    expect(Number(run.outputs.files)).toBeGreaterThan(0);
  });

  it('an artifact name the toolkit would refuse is an input error before anything is built', async () => {
    const cwd = tempDir('viewer-artifact-');
    dirs.push(cwd);
    writeMetadata(makeMetadata(), cwd);
    const run = await runActionBundle('build-viewer', { 'output-dir': 'site', 'artifact-name': 'viewer/v3' }, { cwd });
    expect(run.code).not.toBe(0);
    expect(run.errors).toEqual([
      "build-viewer: input 'artifact-name' contains a slash, which artifact names may not; use letters, digits, '-', '_' and '.'",
    ]);
    expect(readdirSync(cwd)).toEqual(['model_metadata.json']);
  });
});
