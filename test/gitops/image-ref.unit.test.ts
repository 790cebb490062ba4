import { describe, expect, it } from 'vitest';
import {
  bumpImageReferences,
  canonicalName,
  digestProblem,
  findImageReferences,
  formatReference,
  matchFiles,
  nameProblem,
  parseReference,
  promotionOf,
  sameRepository,
  scanTree,
  tryParseReference,
} from '../../packages/image-ref/src/index.js';

const D = `sha256:${'ab'.repeat(32)}`;

describe('OCI reference grammar', () => {
  it.each([
    ['nginx', { name: 'nginx', tag: undefined, digest: undefined }],
    ['nginx:1.27-alpine', { name: 'nginx', tag: '1.27-alpine', digest: undefined }],
    ['localhost:5000/app', { name: 'localhost:5000/app', tag: undefined, digest: undefined }],
    ['localhost:5000/app:v1', { name: 'localhost:5000/app', tag: 'v1', digest: undefined }],
    [`ghcr.io/acme/model-server:2024.12.1@${D}`, { name: 'ghcr.io/acme/model-server', tag: '2024.12.1', digest: D }],
    [`ghcr.io/acme/model-server@${D}`, { name: 'ghcr.io/acme/model-server', tag: undefined, digest: D }],
    [
      'registry.example.com:443/a/b/c__d/e-f:TAG_1.x',
      { name: 'registry.example.com:443/a/b/c__d/e-f', tag: 'TAG_1.x', digest: undefined },
    ],
    ['[::1]:5000/app:1', { name: '[::1]:5000/app', tag: '1', digest: undefined }],
    ['Docker.example/app', { name: 'Docker.example/app', tag: undefined, digest: undefined }],
  ])('parses %s', (text, want) => {
    expect(parseReference(text)).toEqual(want);
    expect(formatReference(parseReference(text))).toBe(text);
  });

  it.each([
    ['', /name "" is not valid: it is empty/],
    ['Nginx', /lower case/],
    ['acme/App:1', /lower case/],
    ['nginx:', /tag "" is not valid/],
    ['nginx:-1', /tag "-1" is not valid/],
    [`nginx:${'a'.repeat(129)}`, /at most 128/],
    ['nginx@sha256:abc', /sha256 digest has 64 hex digits, this one has 3/],
    [`nginx@sha256:${'AB'.repeat(32)}`, /lower-case hex/],
    ['nginx@md5', /digest .* is not valid/],
    ['a//b', /not a valid repository name/],
    ['a/b-', /not a valid repository name/],
    ['{{ .Values.image }}', /not valid/],
    [' nginx', /white space/],
    ['a'.repeat(256), /at most 255/],
  ])('refuses %j', (text, why) => {
    const r = tryParseReference(text);
    expect(typeof r).toBe('string');
    expect(r).toMatch(why);
  });

  it('accepts a digest of an unregistered algorithm with 32+ hex digits', () => {
    expect(digestProblem(`blake3:${'0'.repeat(64)}`)).toBeUndefined();
    expect(digestProblem('blake3:abc')).toMatch(/at least 32 hex digits, this one has 3/);
    expect(digestProblem('sha256')).toMatch(/algorithm:hex/);
  });

  it('names resolve as the runtime does', () => {
    expect(canonicalName('nginx')).toBe('docker.io/library/nginx');
    expect(canonicalName('acme/app')).toBe('docker.io/acme/app');
    expect(canonicalName('index.docker.io/library/nginx')).toBe('docker.io/library/nginx');
    expect(canonicalName('localhost/app')).toBe('localhost/app');
    expect(sameRepository('nginx', 'docker.io/library/nginx')).toBe(true);
    expect(sameRepository('ghcr.io/acme/app', 'ghcr.io/acme/app-worker')).toBe(false);
    expect(nameProblem('acme/app')).toBeUndefined();
  });
});

const MULTI = `apiVersion: batch/v1
kind: CronJob
spec:
  jobTemplate:
    spec:
      template:
        spec:
          initContainers: [{ name: wait, image: "acme/app:1" }]
          containers:
            - name: run
              image: docker.io/acme/app:1 # nightly
---
apiVersion: v1
kind: ConfigMap
data:
  image: acme/app:1
`;

describe('finding references', () => {
  it('Kubernetes: containers and initContainers in flow and block style, any pod template; not a ConfigMap value', () => {
    const found = findImageReferences(MULTI, 'acme/app', { fileName: 'cron.yaml' });
    expect(found.map((f) => [f.document, f.where, f.line, formatReference(f.ref)])).toEqual([
      [0, 'spec.jobTemplate.spec.template.spec.initContainers[0].image', 8, 'acme/app:1'],
      [0, 'spec.jobTemplate.spec.template.spec.containers[0].image', 11, 'docker.io/acme/app:1'],
    ]);
  });

  it('format: helm reads every `image:` scalar of the file, so the ConfigMap value counts too', () => {
    const found = findImageReferences(MULTI, 'acme/app', { fileName: 'x.yaml', format: 'helm' });
    expect(found.map((f) => f.where)).toEqual([
      'spec.jobTemplate.spec.template.spec.initContainers[0].image',
      'spec.jobTemplate.spec.template.spec.containers[0].image',
      'data.image',
    ]);
  });

  it('bumps keep each spelling of the name, the flow style and the comment', () => {
    const r = bumpImageReferences(
      MULTI,
      { image: 'docker.io/acme/app', tag: '2', digest: D },
      { fileName: 'cron.yaml' },
    );
    expect(r.text).toBe(
      MULTI.replace('"acme/app:1"', `"acme/app:2@${D}"`).replace(
        'docker.io/acme/app:1 #',
        `docker.io/acme/app:2@${D} #`,
      ),
    );
    expect(r.changes.map((c) => c.changed)).toEqual([true, true]);
  });

  it('Helm: ingress-nginx layout (registry + image + tag + digest)', () => {
    const values =
      `controller:\n  image:\n    registry: registry.k8s.io\n    image: ingress-nginx/controller\n` +
      `    tag: "v1.11.2"\n    digest: ${D}\n`;
    const [f] = findImageReferences(values, 'registry.k8s.io/ingress-nginx/controller', { fileName: 'values.yaml' });
    expect(f).toMatchObject({
      shape: 'fields',
      where: 'controller.image',
      ref: { name: 'registry.k8s.io/ingress-nginx/controller', tag: 'v1.11.2', digest: D },
    });
    const r = bumpImageReferences(
      values,
      { image: 'registry.k8s.io/ingress-nginx/controller', tag: 'v1.12.0' },
      { fileName: 'values.yaml' },
    );
    expect(r.text).toBe(values.replace('"v1.11.2"', '"v1.12.0"').replace(`digest: ${D}`, 'digest: ""'));
  });

  it('Helm: a block without a tag key gets one; a tag that reads as a number stays a string', () => {
    const values = `image:\n  repository: ghcr.io/acme/app\n  pullPolicy: Always\n`;
    const r = bumpImageReferences(values, { image: 'ghcr.io/acme/app', tag: '1.10' }, { fileName: 'values.yaml' });
    expect(r.text).toBe(`image:\n  repository: ghcr.io/acme/app\n  pullPolicy: Always\n  tag: "1.10"\n`);
  });

  it('kustomize: matches name or newName, and both denote the entry', () => {
    const k = `kind: Kustomization\nimages:\n  - name: app\n    newName: ghcr.io/acme/app\n    newTag: "1"\n`;
    expect(findImageReferences(k, 'ghcr.io/acme/app', { fileName: 'kustomization.yaml' })).toHaveLength(1);
    expect(findImageReferences(k, 'app', { fileName: 'kustomization.yaml' })).toHaveLength(1);
    expect(findImageReferences(k, 'ghcr.io/acme/other', { fileName: 'kustomization.yaml' })).toHaveLength(0);
  });

  it('an image whose name only starts the same is not matched', () => {
    const m = `kind: Pod\napiVersion: v1\nspec:\n  containers:\n    - image: ghcr.io/acme/app-worker:1\n`;
    expect(findImageReferences(m, 'ghcr.io/acme/app', { fileName: 'pod.yaml' })).toEqual([]);
  });
});

describe('scanning a tree and promotion', () => {
  const tree = (files: Record<string, string>) => ({
    files: async () => Object.keys(files),
    read: async (p: string) => files[p],
  });

  it('globs match dot paths and nested paths; only matched files are read', async () => {
    expect(matchFiles(['a.yaml', 'apps/x/b.yaml', '.argocd/c.yaml', 'apps/x/b.json'], ['**/*.yaml'])).toEqual([
      '.argocd/c.yaml',
      'a.yaml',
      'apps/x/b.yaml',
    ]);
  });

  it('the reference to promote: the same tag and digest everywhere, spelled any way', async () => {
    const pod = (ref: string) => `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: ${ref}\n`;
    const scan = await scanTree(
      tree({ 'a.yaml': pod(`acme/app:2@${D}`), 'b.yaml': pod(`docker.io/acme/app:2@${D}`) }),
      ['*.yaml'],
      'acme/app',
    );
    expect(promotionOf(scan, 'acme/app', 'staging')).toEqual({
      tag: '2',
      digest: D,
      ref: `acme/app:2@${D}`,
      places: ['a.yaml:5', 'b.yaml:5'],
    });
    const split = await scanTree(
      tree({ 'a.yaml': pod('acme/app:2'), 'b.yaml': pod('acme/app:3') }),
      ['*.yaml'],
      'acme/app',
    );
    expect(() => promotionOf(split, 'acme/app', 'staging')).toThrow(
      /branch staging has 2 different references to acme\/app: acme\/app:2 \(a\.yaml:5\); acme\/app:3 \(b\.yaml:5\)/,
    );
    const bare = await scanTree(tree({ 'a.yaml': pod('acme/app') }), ['*.yaml'], 'acme/app');
    expect(() => promotionOf(bare, 'acme/app', 'staging')).toThrow(/neither tag nor digest \(a\.yaml:5\)/);
  });

  it('a tree that reads many files at once is read in batches of 500, with the same result as one by one', async () => {
    const pod = (ref: string) => `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: ${ref}\n`;
    const files: Record<string, string> = {};
    for (let i = 0; i < 1_200; i++)
      files[`apps/app-${String(i).padStart(4, '0')}.yaml`] = pod(i % 100 === 7 ? `acme/app:2@${D}` : `acme/other:${i}`);
    files['apps/chart/templates/deploy.yaml'] =
      'kind: Deployment\nspec:\n  replicas: {{ .Values.replicaCount }}\n{{- with .Values.x }}\n  {{ toYaml . }}\n{{- end }}\n';
    const batches: number[] = [];
    const batched = {
      ...tree(files),
      read: async () => {
        throw new Error('read() should not be called when readMany is there');
      },
      readMany: async (paths: readonly string[]) => {
        batches.push(paths.length);
        return new Map(paths.map((p) => [p, files[p]]));
      },
    };
    const one = await scanTree(tree(files), ['apps/**/*.yaml'], 'acme/app');
    const many = await scanTree(batched, ['apps/**/*.yaml'], 'acme/app');
    expect(batches).toEqual([500, 500, 201]);
    expect(many).toEqual(one);
    expect(many.withReferences.map((f) => f.file)).toHaveLength(12);
    expect(many.skipped.map((s) => s.file)).toEqual(['apps/chart/templates/deploy.yaml']);
  });
});
