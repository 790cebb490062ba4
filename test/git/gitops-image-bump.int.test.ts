import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runActionBundle } from '../helpers/run-action.js';
import { startGitServer, type GitServer } from '../setup/git-http.js';

// The committed gitops-image-bump bundle, run as the runner runs it, against a real git server
// over smart HTTP with token authentication.
let server: GitServer;
beforeAll(async () => {
  server = await startGitServer();
});
afterAll(() => server.close());

const IMAGE = 'ghcr.io/acme/model-server';
const D_OLD = `sha256:${'a'.repeat(64)}`;
const D_NEW = `sha256:${'0123456789abcdef'.repeat(4)}`;

const MANIFESTS = `# Model server, staging.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: model-server
spec:
  template:
    spec:
      initContainers:
        - name: fetch-model
          image: ghcr.io/acme/model-server:2024.11.0 # same image, fetch mode
      containers:
        - name: server
          image: "ghcr.io/acme/model-server:2024.11.0"
          ports: [{ containerPort: 8080 }]
        - name: sidecar
          image: envoyproxy/envoy:v1.31.2
---
apiVersion: v1
kind: Service
metadata:
  name: model-server
spec:
  ports:
    - port: 80
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: model-server-canary
spec:
  strategy:
    blueGreen: { activeService: model-server, previewService: model-server-preview, autoPromotionEnabled: false }
  template:
    spec:
      containers:
        - name: server
          image: ghcr.io/acme/model-server:2024.11.0@${D_OLD}
`;

const VALUES = `## Model server chart values
image:
  registry: ghcr.io
  repository: acme/model-server
  tag: "2024.11.0"   # bumped by CI
  digest: ""
  pullPolicy: IfNotPresent

worker:
  image:
    repository: ghcr.io/acme/model-worker
    tag: 1.0.0

replicaCount: 2
`;

const KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base
images:
  - name: model-server
    newName: ghcr.io/acme/model-server
    newTag: "2024.11.0"
  - name: busybox
    newTag: "1.36"
`;

let n = 0;
async function repo(files: Record<string, string>, branch = 'main'): Promise<string> {
  const name = `gitops-${++n}`;
  await server.createRepo(name, files, branch);
  return name;
}

async function bump(name: string, inputs: Record<string, string>, token = server.token) {
  return runActionBundle(
    'gitops-image-bump',
    { repository: server.repoUrl(name), token, image: IMAGE, ...inputs },
    { removeTemp: true },
  );
}

async function changedLines(name: string, branch = 'main'): Promise<string[]> {
  const d = await server.git(name, ['show', '--format=', '-U0', branch]);
  return d.split('\n').filter((l) => /^[-+](?![-+])/.test(l));
}

describe('gitops-image-bump', () => {
  it('Kubernetes manifests: every container and initContainer of every workload, only those lines', async () => {
    const name = await repo({
      'apps/model-server/staging/deploy.yaml': MANIFESTS,
      'apps/other/deploy.yaml': MANIFESTS,
    });
    const r = await bump(name, {
      files: 'apps/model-server/staging/*.yaml',
      tag: '2024.12.1',
      digest: D_NEW,
      branch: 'main',
    });
    expect(r.errors, r.stdout).toEqual([]);
    const [head] = await server.log(name, 'main');
    expect(r.outputs).toEqual({
      changed: 'true',
      'commit-sha': head!.sha,
      'pull-request-url': '',
      'previous-ref': `ghcr.io/acme/model-server:2024.11.0\nghcr.io/acme/model-server:2024.11.0@${D_OLD}`,
      'new-ref': `ghcr.io/acme/model-server:2024.12.1@${D_NEW}`,
      'files-changed': '["apps/model-server/staging/deploy.yaml"]',
    });
    expect(head!.subject).toBe(`Deploy ghcr.io/acme/model-server:2024.12.1@${D_NEW} to main`);
    expect(await changedLines(name)).toEqual([
      '-          image: ghcr.io/acme/model-server:2024.11.0 # same image, fetch mode',
      `+          image: ghcr.io/acme/model-server:2024.12.1@${D_NEW} # same image, fetch mode`,
      '-          image: "ghcr.io/acme/model-server:2024.11.0"',
      `+          image: "ghcr.io/acme/model-server:2024.12.1@${D_NEW}"`,
      `-          image: ghcr.io/acme/model-server:2024.11.0@${D_OLD}`,
      `+          image: ghcr.io/acme/model-server:2024.12.1@${D_NEW}`,
    ]);
    // The file outside the globs is untouched; the other documents parse as before.
    expect(await server.readFile(name, 'main', 'apps/other/deploy.yaml')).toBe(MANIFESTS);
    interface Manifest {
      spec: { template: { spec: { containers: unknown[] } } };
    }
    const after = parseAllDocuments(await server.readFile(name, 'main', 'apps/model-server/staging/deploy.yaml')).map(
      (d) => d.toJS() as Manifest,
    );
    const before = parseAllDocuments(MANIFESTS).map((d) => d.toJS() as Manifest);
    expect(after[1]).toEqual(before[1]);
    expect(after[0]!.spec.template.spec.containers[1]).toEqual(before[0]!.spec.template.spec.containers[1]);
    expect(r.summary).toContain('### Image bump: ghcr.io/acme/model-server');
    expect(r.summary).toContain('spec.template.spec.initContainers[0].image');
    expect(r.masked).toContain(server.token);
  });

  it('Helm values: registry + repository + tag + digest are set together; another image is left alone', async () => {
    const name = await repo({ 'charts/model-server/values-staging.yaml': VALUES });
    const r = await bump(name, { files: 'charts/**/values-*.yaml', tag: '2024.12.1', digest: D_NEW });
    expect(r.errors, r.stdout).toEqual([]);
    expect(r.outputs['previous-ref']).toBe('ghcr.io/acme/model-server:2024.11.0');
    expect(await changedLines(name)).toEqual([
      '-  tag: "2024.11.0"   # bumped by CI',
      '-  digest: ""',
      '+  tag: "2024.12.1"   # bumped by CI',
      `+  digest: "${D_NEW}"`,
    ]);
  });

  it('Helm values with helm-key: a chart with its own layout', async () => {
    const values = `modelServer:\n  imageName: ghcr.io/acme/model-server\n  imageTag: 2024.11.0 # pinned\n  imageDigest: ""\n`;
    const name = await repo({ 'values.yaml': values });
    const r = await bump(name, {
      files: 'values.yaml',
      tag: '2024.12.1',
      digest: D_NEW,
      format: 'helm',
      'helm-key': 'modelServer.imageTag, modelServer.imageDigest',
    });
    expect(r.errors, r.stdout).toEqual([]);
    expect(await server.readFile(name, 'main', 'values.yaml')).toBe(
      `modelServer:\n  imageName: ghcr.io/acme/model-server\n  imageTag: 2024.12.1 # pinned\n  imageDigest: "${D_NEW}"\n`,
    );
  });

  it('a Helm block without a digest key: the digest is pinned on the tag line, and the summary and log say why', async () => {
    const values = VALUES.replace('  digest: ""\n', '');
    const name = await repo({ 'values.yaml': values });
    const r = await bump(name, { files: 'values.yaml', tag: '2024.12.1', digest: D_NEW });
    expect(r.errors, r.stdout).toEqual([]);
    expect(await changedLines(name)).toEqual([
      '-  tag: "2024.11.0"   # bumped by CI',
      `+  tag: "2024.12.1@${D_NEW}"   # bumped by CI`,
    ]);
    const why = 'the block has no digest key, and a chart that renders only repository:tag would ignore a new one';
    expect(r.summary).toContain(`Digest pinned on the tag line as tag@digest at \`values.yaml:4\`: ${why}.`);
    expect(r.stdout).toContain(`digest pinned on the tag line as tag@digest at values.yaml:4: ${why}`);
  });

  it('a Helm block with a digest key: the summary says the digest key was written, and why', async () => {
    const name = await repo({ 'values.yaml': VALUES });
    const r = await bump(name, { files: 'values.yaml', tag: '2024.12.1', digest: D_NEW });
    expect(r.errors, r.stdout).toEqual([]);
    expect(r.summary).toContain(
      'Digest written to the digest key at `values.yaml:4`: the block already has a digest key.',
    );
    expect(r.summary).not.toContain('tag line');
  });

  it('a key written twice off the image paths: bumped anyway, one warning annotation at the duplicate', async () => {
    const values = `${VALUES}replicaCount: 3\n`;
    const name = await repo({ 'charts/values.yaml': values });
    const r = await bump(name, { files: 'charts/values.yaml', tag: '2024.12.1' });
    expect(r.errors, r.stdout).toEqual([]);
    const dups = r.warningAnnotations.filter((w) => w.message.includes('more than once'));
    expect(dups).toHaveLength(1);
    expect(dups[0]!.props).toMatchObject({ file: 'charts/values.yaml', line: '15' });
    expect(dups[0]!.message).toMatch(/replicaCount more than once \(lines 14 and 15\)/);
    expect(await server.readFile(name, 'main', 'charts/values.yaml')).toBe(
      values.replace('tag: "2024.11.0"', 'tag: "2024.12.1"'),
    );
  });

  it('a duplicated key on the image path is refused, naming the lines, nothing pushed', async () => {
    const values = VALUES.replace('  pullPolicy: IfNotPresent\n', '  pullPolicy: IfNotPresent\n  tag: "2024.10.0"\n');
    const name = await repo({ 'values.yaml': values });
    const r = await bump(name, { files: 'values.yaml', tag: '2024.12.1' });
    expect(r.code).toBe(1);
    expect(r.annotations).toHaveLength(1);
    expect(r.annotations[0]!.props).toMatchObject({ file: 'values.yaml' });
    expect(r.annotations[0]!.message).toMatch(/more than once \(lines 5 and 8\)/);
    expect(await server.log(name, 'main')).toHaveLength(1);
  });

  it('kustomization: newTag set and a digest added to the entry that renames model-server', async () => {
    const name = await repo({ 'overlays/prod/kustomization.yaml': KUSTOMIZATION });
    const r = await bump(name, { files: 'overlays/prod/kustomization.yaml', tag: '2024.12.1', digest: D_NEW });
    expect(r.errors, r.stdout).toEqual([]);
    expect(await changedLines(name)).toEqual([
      '-    newTag: "2024.11.0"',
      '+    newTag: "2024.12.1"',
      `+    digest: ${D_NEW}`,
    ]);
  });

  it('a tag-only bump of a Helm block empties its old digest (which would otherwise still pin the old image)', async () => {
    const name = await repo({ 'values.yaml': VALUES.replace('digest: ""', `digest: ${D_OLD}`) });
    const r = await bump(name, { files: 'values.yaml', tag: '2024.12.1' });
    expect(r.errors, r.stdout).toEqual([]);
    expect(await changedLines(name)).toEqual([
      '-  tag: "2024.11.0"   # bumped by CI',
      `-  digest: ${D_OLD}`,
      '+  tag: "2024.12.1"   # bumped by CI',
      '+  digest: ""',
    ]);
    expect(r.outputs['new-ref']).toBe('ghcr.io/acme/model-server:2024.12.1');
  });

  it('a digest-only bump where the file pins a tag is refused at that line, nothing pushed', async () => {
    const name = await repo({ 'overlays/prod/kustomization.yaml': KUSTOMIZATION });
    const r = await bump(name, { files: '**/kustomization.yaml', digest: D_NEW });
    expect(r.code).toBe(1);
    expect(r.annotations).toHaveLength(1);
    expect(r.annotations[0]!.props).toMatchObject({ file: 'overlays/prod/kustomization.yaml', line: '8' });
    expect(r.annotations[0]!.message).toMatch(
      /images\[1\]|images\[0\]\.newTag is "2024\.11\.0" and no tag was given; give 'tag' too/,
    );
    expect(await server.log(name, 'main')).toHaveLength(1);
  });

  it('promote-from-branch copies the exact reference, digest included, from staging to main', async () => {
    const name = await repo(
      {
        'apps/model-server/deploy.yaml': MANIFESTS.replaceAll(`:2024.11.0@${D_OLD}`, `:2024.12.1@${D_NEW}`).replaceAll(
          ':2024.11.0',
          `:2024.12.1@${D_NEW}`,
        ),
      },
      'staging',
    );
    await server.createRepo(name, { 'apps/model-server/deploy.yaml': MANIFESTS }, 'main');
    const r = await bump(name, { files: 'apps/model-server/*.yaml', 'promote-from-branch': 'staging', branch: 'main' });
    expect(r.errors, r.stdout).toEqual([]);
    expect(r.outputs['new-ref']).toBe(`ghcr.io/acme/model-server:2024.12.1@${D_NEW}`);
    expect(await server.readFile(name, 'main', 'apps/model-server/deploy.yaml')).toBe(
      await server.readFile(name, 'staging', 'apps/model-server/deploy.yaml'),
    );
    const [head] = await server.log(name, 'main');
    expect(head!.subject).toBe(`Promote ghcr.io/acme/model-server:2024.12.1@${D_NEW} from staging to main`);
    expect(await server.log(name, 'staging')).toHaveLength(1);
  });

  it('promote-from-branch refuses a source that disagrees with itself, listing each reference and where', async () => {
    const name = await repo({ 'apps/model-server/deploy.yaml': MANIFESTS }, 'staging');
    await server.createRepo(name, { 'apps/model-server/deploy.yaml': MANIFESTS }, 'main');
    const r = await bump(name, { files: 'apps/model-server/*.yaml', 'promote-from-branch': 'staging' });
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`branch staging has 2 different references to ghcr\.io\/acme\/model-server: ` +
            String.raw`ghcr\.io\/acme\/model-server:2024\.11\.0 \(apps\/model-server\/deploy\.yaml:11, ` +
            String.raw`apps\/model-server\/deploy\.yaml:14\); .*@sha256:a{64} \(apps\/model-server\/deploy\.yaml:\d+\)`,
        ),
      ),
    ]);
    expect(await server.log(name, 'main')).toHaveLength(1);
  });

  it('promote-from-branch warns when the source pins a tag only', async () => {
    const tagged =
      `apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n` +
      `        - image: ${IMAGE}:2024.12.1\n`;
    const name = await repo({ 'k8s/app.yaml': tagged }, 'staging');
    await server.createRepo(name, { 'k8s/app.yaml': tagged.replace('2024.12.1', '2024.11.0') }, 'main');
    const r = await bump(name, { files: 'k8s/*.yaml', 'promote-from-branch': 'staging' });
    expect(r.errors, r.stdout).toEqual([]);
    expect(r.stdout).toMatch(/::warning::.*pins ghcr\.io\/acme\/model-server by tag only/);
    expect(await server.readFile(name, 'main', 'k8s/app.yaml')).toBe(tagged);
  });

  it('a promotion from a branch that does not exist says so', async () => {
    const name = await repo({ 'k8s/app.yaml': MANIFESTS });
    const r = await bump(name, { files: 'k8s/*.yaml', 'promote-from-branch': 'staging' });
    expect(r.errors).toEqual([expect.stringMatching(/branch "staging" does not exist in /)]);
  });

  it('no reference found: fails listing the files scanned; a Helm template is skipped, not an error', async () => {
    const template =
      `apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: {{ .Values.replicaCount }}\n` +
      `  image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n` +
      `{{- with .Values.x }}\n  {{ toYaml . }}\n{{- end }}\n`;
    const name = await repo({
      'chart/values.yaml': 'replicaCount: 1\n',
      'chart/templates/deployment.yaml': template,
      'chart/Chart.yaml': 'name: x\nversion: 1.0.0\n',
    });
    const r = await bump(name, { files: 'chart/**', tag: '1' });
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([
      "gitops-image-bump: no reference to image ghcr.io/acme/model-server in the 3 file(s) on branch main matched by input 'files': " +
        'chart/Chart.yaml, chart/templates/deployment.yaml, chart/values.yaml; skipped as not YAML: chart/templates/deployment.yaml',
    ]);
  });

  it('globs that match nothing say so', async () => {
    const name = await repo({ 'k8s/app.yaml': MANIFESTS });
    const r = await bump(name, { files: 'deploy/**/*.yaml', tag: '1' });
    expect(r.errors).toEqual([
      `gitops-image-bump: no file on branch main matches input 'files' (deploy/**/*.yaml); check the globs against the repository's paths`,
    ]);
  });

  it('a YAML syntax error is an annotation on the file, line and column; nothing pushed', async () => {
    const name = await repo({ 'k8s/a.yaml': MANIFESTS, 'k8s/b.yaml': 'a: 1\nb: [unclosed\nc: 3\n' });
    const r = await bump(name, { files: 'k8s/*.yaml', tag: '1' });
    expect(r.code).toBe(1);
    expect(r.annotations).toHaveLength(1);
    expect(r.annotations[0]!.props).toMatchObject({
      file: 'k8s/b.yaml',
      line: expect.stringMatching(/^\d+$/) as unknown,
      col: expect.stringMatching(/^\d+$/) as unknown,
    });
    expect(await server.log(name, 'main')).toHaveLength(1);
  });

  it('already at the reference: no commit; dry-run shows the diff and pushes nothing', async () => {
    const name = await repo({ 'k8s/app.yaml': MANIFESTS });
    const same = await bump(name, { files: 'k8s/*.yaml', image: 'envoyproxy/envoy', tag: 'v1.31.2' });
    expect(same.errors, same.stdout).toEqual([]);
    expect(same.outputs.changed).toBe('false');
    expect(same.outputs['files-changed']).toBe('[]');
    expect(same.stdout).toContain('nothing to commit');
    const before = server.receivePackRequests();
    const dry = await bump(name, {
      files: 'k8s/*.yaml',
      image: 'docker.io/envoyproxy/envoy',
      tag: 'v1.32.0',
      'dry-run': 'true',
    });
    expect(dry.errors, dry.stdout).toEqual([]);
    expect(dry.outputs.changed).toBe('true');
    expect(dry.stdout).toContain('+          image: envoyproxy/envoy:v1.32.0');
    expect(server.receivePackRequests()).toBe(before);
    expect(await server.log(name, 'main')).toHaveLength(1);
  });

  it('two runs at once bumping two images of one file: both land', async () => {
    const name = await repo({ 'k8s/app.yaml': MANIFESTS });
    const [a, b] = await Promise.all([
      bump(name, { files: 'k8s/*.yaml', tag: '2024.12.1' }),
      bump(name, { files: 'k8s/*.yaml', image: 'envoyproxy/envoy', tag: 'v1.32.0' }),
    ]);
    expect([a.errors, b.errors]).toEqual([[], []]);
    const text = await server.readFile(name, 'main', 'k8s/app.yaml');
    expect(text).toContain('image: envoyproxy/envoy:v1.32.0');
    expect(text.match(/model-server:2024\.12\.1/g)).toHaveLength(3);
    const shas = (await server.log(name, 'main')).map((e) => e.sha);
    expect(shas).toEqual(expect.arrayContaining([a.outputs['commit-sha'], b.outputs['commit-sha']]));
  });

  it.each([
    [{ files: 'k8s/*.yaml' }, /input 'tag' or 'digest' \(or 'promote-from-branch'\) is required/],
    [
      { files: 'k8s/*.yaml', image: 'ghcr.io/acme/model-server:1.0', tag: '2' },
      new RegExp(
        String.raw`input 'image' must be the repository alone, got 'ghcr\.io\/acme\/model-server:1\.0': ` +
          String.raw`use image: ghcr\.io\/acme\/model-server with tag: 1\.0`,
      ),
    ],
    [
      { files: 'k8s/*.yaml', image: 'ghcr.io/Acme/Model', tag: '2' },
      /input 'image' is not an image repository .*lower case/,
    ],
    [{ files: 'k8s/*.yaml', tag: '-bad' }, /input 'tag' is not a valid image tag/],
    [
      { files: 'k8s/*.yaml', digest: 'sha256:abc' },
      /input 'digest' is not a valid digest \('sha256:abc': a sha256 digest has 64 hex digits|input 'digest' is not a valid digest/,
    ],
    [
      { files: 'k8s/*.yaml', tag: '2', 'promote-from-branch': 'staging' },
      /input 'promote-from-branch' conflicts with 'tag'/,
    ],
    [{ files: 'k8s/*.yaml', 'promote-from-branch': 'main' }, /input 'promote-from-branch' is the same as 'branch'/],
    [
      { files: 'k8s/*.yaml', tag: '2', format: 'jsonnet' },
      /input 'format' must be one of auto, kubernetes, helm, kustomize/,
    ],
    [
      { files: 'k8s/*.yaml', tag: '2', format: 'kustomize', 'helm-key': 'image.tag' },
      /input 'helm-key' applies to Helm values/,
    ],
    [{ files: '../x/*.yaml', tag: '2' }, /input 'files' must hold paths inside the repository/],
    [{ tag: '2' }, /input 'files' is required/],
  ])('bad input %o: one line, nothing pushed', async (inputs, pattern) => {
    const name = await repo({ 'k8s/app.yaml': MANIFESTS });
    const r = await bump(name, inputs);
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([expect.stringMatching(pattern)]);
    expect(await server.log(name, 'main')).toHaveLength(1);
  });
});
