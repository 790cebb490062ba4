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
  return runActionBundle('hiera-bump', { repository: server.repoUrl(name), token, ...inputs }, { removeTemp: true });
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

  const TYPED = `---
profile::app::replicas: 3
profile::app::debug: false
profile::app::port: 8080
profile::app::release: "2024.11"
`;

  it('value-type integer and boolean write the types Puppet parameters ask for, not strings', async () => {
    const name = await repo(TYPED);
    const ints = await bump(name, { key: 'profile::app::replicas', value: '4', 'value-type': 'integer' });
    expect(ints.errors, ints.stdout).toEqual([]);
    const bools = await bump(name, { key: 'profile::app::debug', value: 'true', 'value-type': 'boolean' });
    expect(bools.errors, bools.stdout).toEqual([]);
    expect(await server.readFile(name, 'main', 'data/common.yaml')).toBe(
      TYPED.replace('replicas: 3', 'replicas: 4').replace('debug: false', 'debug: true'),
    );
    expect(ints.outputs['previous-value']).toBe('3');
  });

  it("value-type auto keeps each old value's type (a new key gets a string)", async () => {
    const name = await repo(TYPED);
    const r = await bump(name, {
      set: 'profile::app::port=9090\nprofile::app::debug=true\nprofile::app::release=2024.12\nprofile::app::new=10',
      'value-type': 'auto',
    });
    expect(r.errors, r.stdout).toEqual([]);
    expect(await server.readFile(name, 'main', 'data/common.yaml')).toBe(
      TYPED.replace('port: 8080', 'port: 9090')
        .replace('debug: false', 'debug: true')
        .replace('release: "2024.11"', 'release: "2024.12"') + 'profile::app::new: "10"\n',
    );
  });

  it("value-type auto refuses a value of another type at the old value's line, nothing pushed", async () => {
    const name = await repo(TYPED);
    const r = await bump(name, { key: 'profile::app::replicas', value: 'many', 'value-type': 'auto' });
    expect(r.code).toBe(1);
    expect(r.annotations).toHaveLength(1);
    expect(r.annotations[0]!.props).toMatchObject({ file: 'data/common.yaml', line: '2' });
    expect(r.annotations[0]!.message).toMatch(
      /^hiera-bump: cannot set profile::app::replicas to "many": it holds an integer/,
    );
    expect(await server.log(name, 'main')).toHaveLength(1);
  });

  it.each([
    [
      { key: 'a', value: '4.5', 'value-type': 'integer' },
      /^hiera-bump: input 'value' does not fit value-type integer: "4\.5" is not an integer/,
    ],
    [
      { set: 'a=true\nb=maybe', 'value-type': 'boolean' },
      /^hiera-bump: input 'set' \(b\) does not fit value-type boolean: "maybe" is not a boolean/,
    ],
    [
      { key: 'a', value: '1', 'value-type': 'int' },
      /^hiera-bump: input 'value-type' must be one of string, auto, integer, boolean, got 'int'$/,
    ],
  ])('a value that does not fit value-type %o: one line, nothing cloned', async (inputs, pattern) => {
    const name = await repo(TYPED);
    const before = server.requests().length;
    const r = await bump(name, inputs);
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([expect.stringMatching(pattern)]);
    expect(r.stdout).not.toMatch(/at .*\.js:\d+/);
    expect(server.requests().length).toBe(before);
  });

  const DUPLICATED = `---
profile::base::packages: [git]
model_viewer::artifact_version: v1
profile::base::packages: [git, curl]
model_viewer::install_dir: /srv/a
model_viewer::install_dir: /srv/b
`;

  it('a key written twice elsewhere: the edit goes ahead, one warning annotation per duplicate at its line', async () => {
    const name = await repo(DUPLICATED);
    const r = await bump(name, { set: 'model_viewer::artifact_version=v2\nmodel_viewer::new=x' });
    expect(r.errors, r.stdout).toEqual([]);
    expect(r.outputs.changed).toBe('true');
    const dups = r.warningAnnotations.filter((w) => w.message.includes('more than once'));
    expect(dups.map((w) => [w.props.file, w.props.line])).toEqual([
      ['data/common.yaml', '4'],
      ['data/common.yaml', '6'],
    ]);
    expect(dups[0]!.message).toMatch(/profile::base::packages more than once \(lines 2 and 4\)/);
    expect(await server.readFile(name, 'main', 'data/common.yaml')).toBe(
      DUPLICATED.replace('artifact_version: v1', 'artifact_version: v2') + 'model_viewer::new: x\n',
    );
  });

  it('setting a key that is written twice is refused, naming both lines, nothing pushed', async () => {
    const name = await repo(DUPLICATED);
    const r = await bump(name, { key: 'model_viewer::install_dir', value: '/srv/c' });
    expect(r.code).toBe(1);
    expect(r.annotations).toHaveLength(1);
    expect(r.annotations[0]!.props).toMatchObject({ file: 'data/common.yaml', line: '6' });
    expect(r.annotations[0]!.message).toMatch(
      /model_viewer::install_dir is in the file more than once \(lines 5 and 6\)/,
    );
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
