import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  kubeconfigSecrets,
  loadKubeConfig,
  promote,
  promotePatches,
  promoted,
  readState,
  requireStrategy,
  type Rollout,
  type RolloutApi,
} from '../../packages/rollouts/src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'rollouts-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bg = (status: Rollout['status'], paused = false): Rollout => ({
  metadata: { name: 'r', namespace: 'n', generation: 3 },
  spec: { paused, strategy: { blueGreen: { activeService: 'a', previewService: 'p' } } },
  status: { observedGeneration: '3', ...status },
});
const canary = (status: Rollout['status'], steps = 4): Rollout => ({
  metadata: { name: 'r', namespace: 'n', generation: 3 },
  spec: {
    strategy: {
      canary: { steps: Array.from({ length: steps }, (_, i) => (i % 2 ? { pause: {} } : { setWeight: 50 })) },
    },
  },
  status: { observedGeneration: '3', ...status },
});

describe("promote patches, as the kubectl plugin's getPatches computes them", () => {
  it.each([
    [
      'paused at BlueGreenPause',
      bg({ pauseConditions: [{ reason: 'BlueGreenPause' }] }),
      undefined,
      { status: { pauseConditions: null } },
    ],
    [
      'spec.paused too',
      bg({ pauseConditions: [{ reason: 'BlueGreenPause' }] }, true),
      { spec: { paused: false } },
      { status: { pauseConditions: null } },
    ],
    [
      'canary between steps: skip to the next',
      canary({ currentStepIndex: 2 }),
      undefined,
      { status: { pauseConditions: null, currentStepIndex: 3 } },
    ],
    [
      'canary with an inconclusive analysis paused by the controller',
      canary({
        currentStepIndex: 1,
        controllerPause: true,
        pauseConditions: [{ reason: 'InconclusiveAnalysisRun' }],
        canary: { currentStepAnalysisRunStatus: { status: 'Inconclusive' } },
      }),
      undefined,
      { status: { pauseConditions: null, controllerPause: false, currentStepIndex: 2 } },
    ],
  ])('%s', (_name, rollout, spec, status) => {
    const p = promotePatches(rollout);
    expect(p.spec).toEqual(spec);
    expect(p.status).toEqual(status);
  });

  it('--full sets promoteFull only while the current pods are not yet stable', () => {
    expect(promotePatches(bg({ currentPodHash: 'b', stableRS: 'a' }), { full: true }).status).toEqual({
      status: { promoteFull: true },
    });
    expect(promotePatches(bg({ currentPodHash: 'a', stableRS: 'a' }), { full: true }).status).toBeUndefined();
  });

  it('falls back to the unified patch on the object when the status subresource answers 404', async () => {
    const sent: [object, string | undefined][] = [];
    const api = {
      patch: async (patch: object, sub: 'status' | undefined) => (
        sent.push([patch, sub]),
        sub === 'status' ? undefined : {}
      ),
    };
    const logged: string[] = [];
    const log = { debug() {}, info: (m: string) => logged.push(m), warning() {} };
    await promote(api as unknown as RolloutApi, bg({ pauseConditions: [{ reason: 'BlueGreenPause' }] }, true), log);
    expect(sent).toEqual([
      [{ status: { pauseConditions: null } }, 'status'],
      [{ spec: { paused: false }, status: { pauseConditions: null } }, undefined],
    ]);
    expect(logged[0]).toContain('the status subresource answered 404');
  });
});

describe('status as Argo Rollouts reads it', () => {
  it('trusts nothing until status.observedGeneration (a string) equals metadata.generation', () => {
    const healthy = bg({ phase: 'Healthy', currentPodHash: 'a', stableRS: 'a', blueGreen: { activeSelector: 'a' } });
    expect(promoted(readState(healthy))).toBe(true);
    expect(promoted(readState({ ...healthy, metadata: { ...healthy.metadata, generation: 4 } }))).toBe(false);
    // Healthy but the active Service still on the old pods is not promoted.
    expect(
      promoted(
        readState(bg({ phase: 'Healthy', currentPodHash: 'b', stableRS: 'b', blueGreen: { activeSelector: 'a' } })),
      ),
    ).toBe(false);
  });
});

describe('a Rollout with neither strategy', () => {
  it('is refused in one line naming both', () => {
    const none: Rollout = { metadata: { name: 'r', namespace: 'n', generation: 1 }, spec: { strategy: {} } };
    expect(() => requireStrategy(readState(none))).toThrow(
      "Rollout 'r' in namespace 'n' has neither a blueGreen nor a canary strategy: set spec.strategy.blueGreen or spec.strategy.canary",
    );
  });
});

describe('kubeconfig', () => {
  const good = (server: string) =>
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\n` +
    `users:\n- name: u\n  user:\n    token: s3cr3t-token-value\n` +
    `contexts:\n- name: x\n  context:\n    cluster: c\n    user: u\n    namespace: prod\ncurrent-context: x\n`;

  it('reads content or a path, and the context namespace', () => {
    expect(loadKubeConfig(good('https://k8s.example.com'), {}).namespace).toBe('prod');
    const file = join(dir, 'kc.yaml');
    writeFileSync(file, good('https://k8s.example.com'));
    expect(loadKubeConfig(file, {}).source).toBe(`input 'kubeconfig' (${file})`);
    expect(loadKubeConfig(undefined, { KUBECONFIG: file }).server).toBe('https://k8s.example.com');
  });

  it('refuses plain http to another host, and names unreadable or invalid files without echoing them', () => {
    expect(() => loadKubeConfig(good('http://k8s.example.com'), {})).toThrow('credentials are sent only over https');
    expect(() => loadKubeConfig(join(dir, 'missing'), {})).toThrow(
      /cannot read kubeconfig file '.*missing' \(ENOENT\)/,
    );
    const broken = 'apiVersion: v1\nusers:\n- user:\n    token: leaked-if-echoed\n  : : [\n';
    let message = '';
    try {
      loadKubeConfig(broken, {});
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^input 'kubeconfig': not a valid kubeconfig/);
    expect(message).not.toContain('leaked-if-echoed');
    expect(() => loadKubeConfig(undefined, { HOME: dir })).toThrow("input 'kubeconfig': no kubeconfig found");
  });

  it('finds the credentials to mask, even in a file that does not parse', () => {
    expect(kubeconfigSecrets(good('https://x'), {})).toEqual(['s3cr3t-token-value']);
    expect(
      kubeconfigSecrets('users:\n- user:\n    client-key-data: QUJDREVGRw==\n    password: "p@ss word"\n  : [', {}),
    ).toEqual(['QUJDREVGRw==', 'p@ss word']);
  });

  it('finds them in flow style and JSON too, not only in the block style kubectl writes', () => {
    expect(kubeconfigSecrets('users: [{name: u, user: {token: flow-token-1}}]\ncurrent-context: x', {})).toEqual([
      'flow-token-1',
    ]);
    expect(
      kubeconfigSecrets('{"users":[{"name":"u","user":{"password":"json-pass","token":"json-tok"}}]}', {}),
    ).toEqual(['json-pass', 'json-tok']);
  });
});
