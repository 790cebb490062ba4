import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runActionBundle } from '../helpers/run-action.js';
import { startGitServer, type GitServer } from '../setup/git-http.js';

// The committed hiera-bump bundle, run as the runner runs it, against a real git server over
// smart HTTP with token authentication.
let server: GitServer;
beforeAll(async () => {
  server = await startGitServer();
});
afterAll(() => server.close());

const HIERA = `---
# Hiera common data for the model viewer hosts.
classes:
  - role::model_viewer

defaults: &defaults
  ensure: present
  manage_service: yes   # Puppet reads this as a boolean

model_viewer::artifact_version: "prod-recommendation-engine-2-1677510000" # This value gets updated by CI
model_viewer::install_dir: /var/www/html/model-viewer
model_viewer::settings:
  <<: *defaults
  port: 8080
secrets::api_key: ENC[PKCS7,MIIBiQYJKoZIhvcNAQcDoIIBejCCAXYCAQAxggEhMIIBHQIBADAFMAACAQEwDQYJ]
`;

let n = 0;
async function repo(text = HIERA): Promise<string> {
  const name = `hiera-${++n}`;
  await server.createRepo(name, { 'data/common.yaml': text });
  return name;
}

async function bump(name: string, inputs: Record<string, string>, token = server.token) {
  return runActionBundle(
    'hiera-bump',
    { repository: server.repoUrl(name), token, ...inputs },
    { cwd: mkdtempSync(join(tmpdir(), 'hb-')) },
  );
}

async function diffOfHead(name: string): Promise<string[]> {
  const d = await server.git(name, ['show', '--format=', '-U0', 'main']);
  return d.split('\n').filter((l) => /^[-+](?![-+])/.test(l));
}

describe('hiera-bump', () => {
  it('changes exactly the value, keeping its quotes and the trailing comment, and reports outputs', async () => {
    const name = await repo();
    const r = await bump(name, {
      key: 'model_viewer::artifact_version',
      value: 'prod-recommendation-engine-3-1767225600',
    });
    expect(r.errors, r.stdout).toEqual([]);
    expect(r.code).toBe(0);
    const [head] = await server.log(name, 'main');
    expect(r.outputs).toEqual({
      changed: 'true',
      'commit-sha': head!.sha,
      'pull-request-url': '',
      'previous-value': 'prod-recommendation-engine-2-1677510000',
    });
    expect(head!.subject).toBe('Set model_viewer::artifact_version to prod-recommendation-engine-3-1767225600');
    expect(head!.authorName).toBe('github-actions[bot]');
    expect(await diffOfHead(name)).toEqual([
      '-model_viewer::artifact_version: "prod-recommendation-engine-2-1677510000" # This value gets updated by CI',
      '+model_viewer::artifact_version: "prod-recommendation-engine-3-1767225600" # This value gets updated by CI',
    ]);
    expect(r.summary).toContain('### Hiera bump: data/common.yaml');
    expect(r.masked).toContain(server.token);
    expect(r.stdout.replaceAll(`::add-mask::${server.token}`, '')).not.toContain(server.token);
  });

  it('set: several keys in one commit; a value that would read as a boolean is quoted', async () => {
    const name = await repo();
    const r = await bump(name, {
      set: 'model_viewer::install_dir=/srv/viewer\nmodel_viewer::enabled=yes',
      'commit-message': 'Move the viewer',
    });
    expect(r.errors, r.stdout).toEqual([]);
    expect(JSON.parse(r.outputs['previous-value']!)).toEqual({
      'model_viewer::install_dir': '/var/www/html/model-viewer',
      'model_viewer::enabled': null,
    });
    const text = await server.readFile(name, 'main', 'data/common.yaml');
    expect(text).toContain('model_viewer::install_dir: /srv/viewer\n');
    expect(text).toMatch(/model_viewer::enabled: ["']yes["']\n/);
    expect((await server.log(name, 'main'))[0]!.subject).toBe('Move the viewer');
    expect(await server.log(name, 'main')).toHaveLength(2);
  });

  it('an unchanged value makes no commit and says so', async () => {
    const name = await repo();
    const r = await bump(name, { key: 'model_viewer::install_dir', value: '/var/www/html/model-viewer' });
    expect(r.code).toBe(0);
    expect(r.outputs.changed).toBe('false');
    expect(r.outputs['commit-sha']).toBe('');
    expect(r.stdout).toContain('nothing to commit');
    expect(await server.log(name, 'main')).toHaveLength(1);
  });

  it('dry-run prints the diff and pushes nothing', async () => {
    const name = await repo();
    const r = await bump(name, { key: 'model_viewer::artifact_version', value: 'v9', 'dry-run': 'true' });
    expect(r.code).toBe(0);
    expect(r.outputs.changed).toBe('true');
    expect(r.stdout).toContain('+model_viewer::artifact_version: "v9" # This value gets updated by CI');
    expect(await server.log(name, 'main')).toHaveLength(1);
  });

  it('an eyaml ENC[...] value is never rewritten', async () => {
    const name = await repo();
    const r = await bump(name, { key: 'secrets::api_key', value: 'plain' });
    expect(r.code).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^hiera-bump: .*ENC\[/);
    expect(await server.log(name, 'main')).toHaveLength(1);
  });

  it('a YAML syntax error is an annotation on the file, line and column', async () => {
    const name = await repo('a: 1\nb: [unclosed\nc: 3\n');
    const r = await bump(name, { key: 'a', value: '2' });
    expect(r.code).toBe(1);
    expect(r.annotations).toHaveLength(1);
    expect(r.annotations[0]!.props).toMatchObject({
      file: 'data/common.yaml',
      line: expect.stringMatching(/^\d+$/) as unknown,
      col: expect.stringMatching(/^\d+$/) as unknown,
    });
    expect(r.annotations[0]!.message).toMatch(
      /^hiera-bump: YAML syntax error in data\/common\.yaml at line \d+, column \d+/,
    );
  });

  it('a missing file names the file and the branch', async () => {
    const name = await repo();
    const r = await bump(name, { file: 'data/nodes/web01.yaml', key: 'a', value: '1' });
    expect(r.errors).toEqual([expect.stringMatching(/'data\/nodes\/web01\.yaml' does not exist on branch 'main'/)]);
  });

  it('a read-only token is said as unable to push', async () => {
    const name = await repo();
    const r = await bump(name, { key: 'model_viewer::artifact_version', value: 'v2' }, server.readOnlyToken);
    expect(r.code).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).not.toContain(server.readOnlyToken);
    expect(await server.log(name, 'main')).toHaveLength(1);
  });

  it.each([
    [{}, /input 'key' \(with 'value'\) or 'set' is required/],
    [{ key: 'a' }, /input 'value' is required with 'key'/],
    [{ key: 'a', value: '1', set: 'b=2' }, /inputs 'key' and 'set' conflict/],
    [{ set: 'just-a-key' }, /input 'set' needs key=value lines, got 'just-a-key'/],
    [{ key: 'a', value: '1', 'dry-run': 'maybe' }, /input 'dry-run' must be true or false/],
    [{ key: 'a', value: '1', 'max-attempts': '0' }, /input 'max-attempts' must be a whole number between 1 and 50/],
    [{ key: 'a', value: '1', mode: 'merge' }, /input 'mode' must be one of push, pull-request/],
    [{ key: 'a', value: '1', file: '../etc/passwd' }, /input 'file' must be a path inside the repository/],
  ])('bad input %o: one line, nothing pushed', async (inputs, pattern) => {
    const name = await repo();
    const r = await bump(name, inputs);
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([expect.stringMatching(pattern)]);
    expect(await server.log(name, 'main')).toHaveLength(1);
  });
});
