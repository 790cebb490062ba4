import { describe, expect, it } from 'vitest';
import {
  ImageUpdateError,
  bumpImageReferences,
  findImageReferences,
  formatReference,
  promotionOf,
  scanTree,
} from '../../packages/image-ref/src/index.js';

const D = `sha256:${'c4'.repeat(32)}`;
const OLD = `sha256:${'0a'.repeat(32)}`;

// Shaped like Argo CD's chart: repository and tag, no digest key; the chart renders only
// `{{ repository }}:{{ tag }}`, so a digest key added beside them would never reach the cluster.
const ARGO = `global:
  image:
    # -- If defined, a repository applied to all Argo CD deployments
    repository: quay.io/argoproj/argocd
    # -- Overrides the global Argo CD image tag whose default is the chart appVersion
    tag: ""
    imagePullPolicy: IfNotPresent
dex:
  image:
    repository: ghcr.io/dexidp/dex
    tag: v2.45.1
`;

// Shaped like ingress-nginx's chart: the registry is set once, for every image.
const NGINX = `global:
  image:
    # -- Registry host to pull images from.
    registry: registry.k8s.io
controller:
  image:
    # registry: registry.k8s.io
    image: ingress-nginx/controller
    tag: "v1.15.1"
    digest: ${OLD}
    pullPolicy: IfNotPresent
defaultBackend:
  image:
    image: defaultbackend-amd64
    tag: "1.5"
`;

const opts = { fileName: 'values.yaml' };

describe('a Helm block without a digest key is pinned on its tag line', () => {
  it('writes tag: <tag>@<digest> where the tag was, adds no digest key, and says why', () => {
    const r = bumpImageReferences(ARGO, { image: 'quay.io/argoproj/argocd', tag: 'v3.1.0', digest: D }, opts);
    expect(r.text).toBe(ARGO.replace('tag: ""', `tag: "v3.1.0@${D}"`));
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({
      where: 'global.image',
      before: 'quay.io/argoproj/argocd',
      after: `quay.io/argoproj/argocd:v3.1.0@${D}`,
      changed: true,
      digestForm: {
        form: 'tag-line',
        reason: expect.stringMatching(/no digest key.*renders only repository:tag/) as unknown,
      },
    });
  });

  it('reads the pinned tag back as tag and digest: a second run changes nothing, a promotion copies both', async () => {
    const target = { image: 'ghcr.io/dexidp/dex', tag: 'v2.46.0', digest: D };
    const once = bumpImageReferences(ARGO, target, opts);
    expect(once.text).toBe(ARGO.replace('tag: v2.45.1', `tag: v2.46.0@${D}`));
    const [found] = findImageReferences(once.text, 'ghcr.io/dexidp/dex', opts);
    expect(found!.ref).toEqual({ name: 'ghcr.io/dexidp/dex', tag: 'v2.46.0', digest: D });
    const again = bumpImageReferences(once.text, target, opts);
    expect(again.text).toBe(once.text);
    expect(again.changes[0]!.changed).toBe(false);
    const tree = { files: async () => ['values.yaml'], read: async () => once.text };
    const scan = await scanTree(tree, ['*.yaml'], 'ghcr.io/dexidp/dex');
    expect(promotionOf(scan, 'ghcr.io/dexidp/dex', 'staging')).toMatchObject({ tag: 'v2.46.0', digest: D });
    // A tag alone afterwards drops the pin, as it empties a stale digest key.
    const unpinned = bumpImageReferences(once.text, { image: 'ghcr.io/dexidp/dex', tag: 'v2.47.0' }, opts);
    expect(unpinned.text).toBe(ARGO.replace('tag: v2.45.1', 'tag: v2.47.0'));
  });

  it('a block that has a digest key keeps using it', () => {
    const r = bumpImageReferences(
      NGINX,
      { image: 'registry.k8s.io/ingress-nginx/controller', tag: 'v1.16.0', digest: D },
      opts,
    );
    expect(r.text).toBe(NGINX.replace('"v1.15.1"', '"v1.16.0"').replace(OLD, D));
    expect(r.changes[0]!.digestForm).toEqual({ form: 'digest-key', reason: 'the block already has a digest key' });
  });

  it('helm-key naming a digest key writes it there, even when the block has none yet', () => {
    const helmKeys = [
      ['dex', 'image', 'tag'],
      ['dex', 'image', 'digest'],
    ];
    const r = bumpImageReferences(
      ARGO,
      { image: 'ghcr.io/dexidp/dex', tag: 'v2.46.0', digest: D },
      { ...opts, helmKeys },
    );
    expect(r.text).toBe(ARGO.replace('tag: v2.45.1', `tag: v2.46.0\n    digest: ${D}`));
    expect(r.changes[0]!.digestForm).toEqual({ form: 'digest-key', reason: 'helm-key names dex.image.digest' });
  });

  it('a digest without a tag cannot go on the tag line: refused, pointing at the block', () => {
    const bare = `image:\n  repository: ghcr.io/acme/app\n  pullPolicy: Always\n`;
    const e = (() => {
      try {
        bumpImageReferences(bare, { image: 'ghcr.io/acme/app', digest: D }, opts);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(ImageUpdateError);
    expect((e as ImageUpdateError).message).toMatch(
      /^values\.yaml:2: image has no digest key, so the digest can only be pinned on its tag line as tag@digest; give 'tag' too/,
    );
  });

  it('kustomize entries and whole-reference scalars are as before', () => {
    const k = `kind: Kustomization\nimages:\n  - name: ghcr.io/acme/app\n    newTag: "1"\n`;
    const r = bumpImageReferences(
      k,
      { image: 'ghcr.io/acme/app', tag: '2', digest: D },
      { fileName: 'kustomization.yaml' },
    );
    expect(r.text).toBe(k.replace('newTag: "1"', `newTag: "2"\n    digest: ${D}`));
    expect(r.changes[0]!.digestForm?.form).toBe('digest-key');
    const pod = `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: ghcr.io/acme/app:1\n`;
    const p = bumpImageReferences(pod, { image: 'ghcr.io/acme/app', tag: '2', digest: D }, { fileName: 'pod.yaml' });
    expect(p.text).toBe(pod.replace('app:1', `app:2@${D}`));
    expect(p.changes[0]!.digestForm).toBeUndefined();
  });
});

describe("a chart's global registry", () => {
  it('ingress-nginx: global.image.registry names the registry of blocks that have none', () => {
    const found = findImageReferences(NGINX, 'registry.k8s.io/ingress-nginx/controller', opts);
    expect(found.map((f) => [f.where, formatReference(f.ref)])).toEqual([
      ['controller.image', `registry.k8s.io/ingress-nginx/controller:v1.15.1@${OLD}`],
    ]);
    expect(findImageReferences(NGINX, 'registry.k8s.io/defaultbackend-amd64', opts).map((f) => f.where)).toEqual([
      'defaultBackend.image',
    ]);
    // It is not a Docker Hub image any more.
    expect(findImageReferences(NGINX, 'ingress-nginx/controller', opts)).toEqual([]);
  });

  it('Bitnami: global.imageRegistry, for a block without registry; a block that has one keeps it', () => {
    const values =
      `global:\n  imageRegistry: mirror.example.com\nimage:\n  repository: bitnami/mlflow\n  tag: 3.3.2\n` +
      `metrics:\n  image:\n    registry: docker.io\n    repository: bitnami/exporter\n    tag: "1"\n`;
    expect(findImageReferences(values, 'mirror.example.com/bitnami/mlflow', opts)).toHaveLength(1);
    expect(findImageReferences(values, 'docker.io/bitnami/exporter', opts)).toHaveLength(1);
  });

  it('a name that already has a registry host is left alone; an empty global registry is none', () => {
    const values = `global:\n  image:\n    registry: registry.k8s.io\nimage:\n  repository: ghcr.io/acme/app\n  tag: "1"\n`;
    expect(findImageReferences(values, 'ghcr.io/acme/app', opts)).toHaveLength(1);
    const empty = `global:\n  imageRegistry: ""\nimage:\n  repository: bitnami/mlflow\n  tag: "1"\n`;
    expect(findImageReferences(empty, 'docker.io/bitnami/mlflow', opts)).toHaveLength(1);
  });

  it('helm-key paths are the image asked for, whatever their block is named', () => {
    const values = `controller:\n  image:\n    image: ingress-nginx/controller\n    tag: "v1.15.1"\n`;
    expect(findImageReferences(values, 'registry.k8s.io/ingress-nginx/controller', opts)).toEqual([]);
    const helmKeys = [['controller', 'image', 'tag']];
    const [f] = findImageReferences(values, 'registry.k8s.io/ingress-nginx/controller', { ...opts, helmKeys });
    expect(f).toMatchObject({ where: 'controller.image', byHelmKey: true, ref: { tag: 'v1.15.1' } });
    const r = bumpImageReferences(
      values,
      { image: 'registry.k8s.io/ingress-nginx/controller', tag: 'v1.16.0', digest: D },
      { ...opts, helmKeys },
    );
    expect(r.text).toBe(values.replace('"v1.15.1"', `"v1.16.0@${D}"`));
  });
});
