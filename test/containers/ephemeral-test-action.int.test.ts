import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { dockerEnv, MODEL_IMAGE } from '../setup/model-image.js';
import { containersLeft, mainStep, postStep, until, type StepRun } from './ephemeral-action-helpers.js';

// The action's committed bundle against real containers (the docker CLI, podman's engine): each
// main step is followed by its post: step with the state it saved, as the runner does.
const workdir = mkdtempSync(join(tmpdir(), 'ephemeral-action-'));
const image = { image: MODEL_IMAGE, port: '8000' };
const predict = `
- name: predict
  path: /predict
  json: { inputs: [[6.1, 2.8], [1.0, 0.2]] }
  expect-json: { "predictions[0]": 1, "predictions[1]": 0 }
`;

afterEach(() => {
  // A failed assertion must not leave a container behind for the next test (or the machine).
  for (const name of containersLeft()) execFileSync('docker', ['rm', '-f', name], { env: dockerEnv });
});

afterAll(() => {
  rmSync(workdir, { recursive: true, force: true });
});

async function mainAndPost(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<StepRun> {
  const main = await mainStep(workdir, inputs, env);
  const post = await postStep(workdir, main, inputs);
  expect(post.code, post.stdout).toBe(0);
  expect(containersLeft()).toEqual([]);
  return main;
}

describe('ephemeral-test action, image mode', () => {
  it('a healthy image passes readiness, ordered checks (reload with and without the token), the version and a load test', async () => {
    const r = await mainAndPost(
      {
        ...image,
        env: 'MODEL_VERSION, API_ADMIN_TOKEN',
        'health-expect-json': '{ status: ok, model.version: 7 }',
        checks: `${predict}
- name: reload without token
  method: POST
  path: /admin/reload
  expect-status: 403
- name: reload with token
  method: POST
  path: /admin/reload
  headers: { X-Admin-Token: "\${ADMIN_TOKEN}" }
  expect-json: { status: reloaded }
`,
        'expected-version': '7',
        'load-duration-seconds': '2',
        'load-connections': '4',
        'load-request': 'predict',
        'max-p95-ms': '2000',
        'max-p99-ms': '5000',
        'min-rps': '5',
        'max-error-rate': '0',
      },
      { MODEL_VERSION: '7', API_ADMIN_TOKEN: 's3cret-token', ADMIN_TOKEN: 's3cret-token' },
    );
    expect(r.code, r.stdout).toBe(0);
    expect(r.errors).toEqual([]);
    expect(r.outputs.result).toBe('passed');
    expect(r.outputs['base-url']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(r.outputs['report-file']).toMatch(new RegExp(`^${workdir}/report-\\w+\\.json$`));
    expect(Number(r.outputs.rps)).toBeGreaterThanOrEqual(5);
    expect(Number(r.outputs['p95-ms'])).toBeGreaterThan(0);
    expect(Number(r.outputs['p99-ms'])).toBeGreaterThanOrEqual(Number(r.outputs['p50-ms']));
    expect(r.outputs['error-rate']).toBe('0');
    const report = r.report!;
    expect(report.result).toBe('passed');
    expect(report.readiness).toMatchObject({ ready: true, status: 200 });
    expect(report.checks.map((c) => [c.name, c.passed, c.status])).toEqual([
      ['predict', true, 200],
      ['reload without token', true, 403],
      ['reload with token', true, 200],
      ['version is 7', true, 200],
    ]);
    expect(report.load).toMatchObject({ passed: true, request: 'POST /predict', non2xx: 0, socketErrors: 0 });
    expect(report.load!.statusCounts['200']).toBe(report.load!.requests);
    expect(report.log_tail).toBeUndefined();
    // The token reaches the container and the header by name only, and is masked first.
    expect(r.masked).toContain('s3cret-token');
    expect(r.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain('s3cret-token');
    expect(r.summary).toContain('Ephemeral test passed');
    expect(r.summary).toMatch(/\| reload with token \| pass \| 200 \|/);
    expect(r.summary).toMatch(/p95 [\d.]+ ms/);
  });

  it('a crash on start fails at once with the exit code and the last log lines', async () => {
    const r = await mainAndPost(
      { ...image, env: 'CRASH_ON_START', 'ready-timeout-seconds': '60' },
      { CRASH_ON_START: '3' },
    );
    expect(r.code).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(
      /^ephemeral-test: readiness: the service exited with code 3 before it was ready; last log lines: .*refusing to start/,
    );
    expect(r.outputs.result).toBe('failed');
    expect(r.report!.readiness).toMatchObject({ ready: false, reason: 'exited', exit_code: 3 });
    expect(r.report!.log_tail).toContain('refusing to start');
    expect(r.summary).toContain('#### Last log lines');
    // Printed between stop-commands, so no log line can act as a runner command.
    expect(r.stdout).toMatch(/::stop-commands::([\w-]+)\n[^]*refusing to start[^]*\n::\1::/);
  });

  it('a server that never gets ready times out with the last status seen', async () => {
    const r = await mainAndPost({ ...image, env: 'NEVER_READY', 'ready-timeout-seconds': '5' }, { NEVER_READY: '1' });
    expect(r.code).toBe(1);
    expect(r.errors[0]).toMatch(/^ephemeral-test: readiness: not ready after 5 s \(\d+ polls\); last seen: status 503/);
    expect(r.report!.readiness).toMatchObject({ ready: false, reason: 'timeout', status: 503 });
  });

  it('a wrong version fails naming both versions, a wrong token fails the reload check', async () => {
    const r = await mainAndPost(
      {
        ...image,
        env: 'MODEL_VERSION, API_ADMIN_TOKEN',
        checks: '- { name: reload, method: POST, path: /admin/reload, headers: { X-Admin-Token: wrong } }',
        'expected-version': '7',
      },
      { MODEL_VERSION: '6', API_ADMIN_TOKEN: 'right' },
    );
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([
      'ephemeral-test: check "reload": status 403, expected 2xx',
      'ephemeral-test: check "version is 7": /version reports version "6", expected version "7"',
    ]);
    expect(r.report!.checks.map((c) => c.passed)).toEqual([false, false]);
  });

  it('500s under load and a missed min-rps fail the load test, with the status codes counted', async () => {
    const r = await mainAndPost(
      {
        ...image,
        env: 'FAIL_ABOVE_RPS',
        checks: predict,
        'load-duration-seconds': '2',
        'load-connections': '4',
        'load-request': '1',
        'min-rps': '1000000',
        'max-error-rate': '0.01',
      },
      { FAIL_ABOVE_RPS: '20' },
    );
    expect(r.code).toBe(1);
    expect(r.outputs.result).toBe('failed');
    const load = r.report!.load!;
    expect(load.passed).toBe(false);
    expect(load.statusCounts['500']).toBeGreaterThan(0);
    expect(Number(r.outputs['error-rate'])).toBeGreaterThan(0.01);
    expect(r.errors.join('\n')).toMatch(/load: .* req\/s < min-rps 1000000/);
    expect(r.errors.join('\n')).toMatch(
      /load: error rate [\d.]+% \(\d+ non-2xx, 0 socket errors\) > max-error-rate 1\.00%/,
    );
    expect(r.summary).toMatch(/Status codes \| 200: \d+, 500: \d+/);
  });

  it('bad inputs are one line each, naming the input, and start nothing', async () => {
    const neither = await mainStep(workdir, {});
    expect(neither.errors).toEqual(["ephemeral-test: one of 'image' or 'command' is required"]);
    const both = await mainStep(workdir, { ...image, command: 'true' });
    expect(both.errors).toEqual([
      "ephemeral-test: inputs 'image' and 'command' conflict: set only one of 'image' or 'command'",
    ]);
    const malformed = await mainStep(workdir, {
      ...image,
      checks: '- path: /health\n- path: /version\n  expect-staus: 200',
    });
    expect(malformed.errors).toEqual([
      'ephemeral-test: input \'checks\': item 2 (line 2): unknown key "expect-staus" (known: name, method, path, headers, body, ' +
        'json, expect-status, expect-json, expect-body-contains, max-latency-ms)',
    ]);
    const missing = await mainStep(workdir, { image: 'localhost/no-such-image:1', port: '8000' });
    expect(missing.errors).toHaveLength(1);
    expect(missing.errors[0]).toMatch(
      /^ephemeral-test: image: localhost\/no-such-image:1 is not on this runner and cannot be pulled \(.+\); build it/,
    );
    const noDocker = await mainStep(workdir, image, { PATH: '/nonexistent' });
    expect(noDocker.errors).toEqual([
      'ephemeral-test: image: the docker CLI is not on this runner (install Docker, or use "command" to test a local process)',
    ]);
    for (const r of [neither, both, malformed, missing, noDocker]) {
      expect(r.code).toBe(1);
      expect(r.stdout).not.toMatch(/\n\s+at /); // no stack
      expect(r.report).toBeUndefined(); // nothing half-written
    }
    expect(containersLeft()).toEqual([]);
  });

  it('the action sent SIGTERM mid-run leaves its container, and the post step removes it', async () => {
    const inputs = { ...image, 'load-duration-seconds': '60', 'load-connections': '2' };
    const main = await mainStep(
      workdir,
      inputs,
      {},
      {
        onSpawn: (child) => {
          void until('the load test to start', () => containersLeft().length === 1).then(() =>
            // Killed while the container serves the load test.
            setTimeout(() => child.kill('SIGTERM'), 1500),
          );
        },
      },
    );
    expect(main.code).toBeNull(); // killed by the signal
    expect(main.state.cleanup).toMatch(/"kind":"container"/);
    expect(containersLeft()).toHaveLength(1);
    const post = await postStep(workdir, main, inputs);
    expect(post.code, post.stdout).toBe(0);
    expect(post.stdout).toMatch(/removed [0-9a-f]+/);
    expect(containersLeft()).toEqual([]);
    // Idempotent: a second post finds nothing to do and does not fail.
    const again = await postStep(workdir, main, inputs);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing left to remove');
  });

  it('keep-on-failure leaves the failed container, also through the post step, and says how to remove it', async () => {
    const inputs = { ...image, env: 'NEVER_READY', 'ready-timeout-seconds': '1', 'keep-on-failure': 'true' };
    const main = await mainStep(workdir, inputs, { NEVER_READY: '1' });
    expect(main.code).toBe(1);
    const [name] = containersLeft();
    expect(name).toMatch(/^ephemeral-test-[0-9a-f]+$/);
    const hint = `docker rm -f ${name}`;
    expect(main.warnings.join('\n')).toContain(`remove it with: ${hint}`);
    expect(main.report!.kept).toEqual({ remove_with: hint });
    expect(main.summary).toContain(hint);
    const post = await postStep(workdir, main, inputs);
    expect(post.code).toBe(0);
    expect(post.stdout).toContain(`left running; remove it with: ${hint}`);
    expect(containersLeft()).toEqual([name]);
    execFileSync('sh', ['-c', hint], { env: dockerEnv, stdio: 'ignore' });
    expect(containersLeft()).toEqual([]);
  });
});
