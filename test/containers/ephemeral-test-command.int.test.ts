import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SERVER_JS } from '../setup/model-image.js';
import { mainStep, postStep, processesWith, until, type StepRun } from './ephemeral-action-helpers.js';

// The same action in command mode: the model server as a local process (its own process group),
// no container. Every command carries a marker, so the test can see that no process is left.
const workdir = mkdtempSync(join(tmpdir(), 'ephemeral-command-'));
const marker = `ephemeral-command-test-${randomUUID()}`;
const command = { command: `"${process.execPath}" "${SERVER_JS}" --marker=${marker}` };

afterEach(() => {
  // A failed assertion must not leave a server running: end what carries this file's marker, by pid.
  for (const pid of processesWith(marker)) process.kill(pid, 'SIGKILL');
});

afterAll(() => {
  rmSync(workdir, { recursive: true, force: true });
});

async function mainAndPost(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<StepRun> {
  const main = await mainStep(workdir, inputs, env);
  const post = await postStep(workdir, main, inputs);
  expect(post.code, post.stdout).toBe(0);
  expect(processesWith(marker)).toEqual([]);
  return main;
}

describe('ephemeral-test action, command mode', () => {
  it('a healthy process passes checks, the version, a test command and a load test', async () => {
    const r = await mainAndPost(
      {
        ...command,
        checks: `
- name: reload without token
  method: POST
  path: /admin/reload
  expect-status: 403
- name: reload with token
  method: POST
  path: /admin/reload
  headers: { X-Admin-Token: "\${API_ADMIN_TOKEN}" }
`,
        'expected-version': '9',
        'test-command':
          'test "$(node -e "fetch(process.env.BASE_URL + \'/version\').then(r => r.json()).then(j => console.log(j.version))")" = 9',
        'load-duration-seconds': '2',
        'load-connections': '4',
        'min-rps': '5',
        'max-p95-ms': '2000',
      },
      { MODEL_VERSION: '9', API_ADMIN_TOKEN: 'cmd-s3cret' },
    );
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs.result).toBe('passed');
    expect(r.report!.target).toMatchObject({ kind: 'process' });
    expect(r.report!.checks.map((c) => [c.name, c.passed])).toEqual([
      ['reload without token', true],
      ['reload with token', true],
      ['version is 9', true],
    ]);
    expect(r.report!.test_command).toMatchObject({ exitCode: 0, passed: true });
    expect(r.report!.load).toMatchObject({ passed: true, request: 'GET /health' });
    expect(Number(r.outputs.rps)).toBeGreaterThanOrEqual(5);
    expect(r.masked).toContain('cmd-s3cret');
  });

  it('a crash on start fails at once with the exit code and the last log lines', async () => {
    const r = await mainAndPost(command, { CRASH_ON_START: '4' });
    expect(r.code).toBe(1);
    expect(r.errors[0]).toMatch(
      /^ephemeral-test: readiness: the service exited with code 4 before it was ready; last log lines: .*refusing to start/,
    );
    expect(r.report!.log_tail).toContain('refusing to start');
  });

  it('a process that never gets ready times out with the last status; a failing test command fails the step', async () => {
    const r = await mainAndPost({ ...command, 'ready-timeout-seconds': '5' }, { NEVER_READY: '1' });
    expect(r.errors[0]).toMatch(/^ephemeral-test: readiness: not ready after 5 s .*last seen: status 503/);
    const t = await mainAndPost({ ...command, 'test-command': 'exit 5' });
    expect(t.code).toBe(1);
    expect(t.errors).toEqual(['ephemeral-test: test-command exited with 5']);
  });

  it('a port already taken is one line naming the input', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    try {
      const r = await mainAndPost({ ...command, port: String(port) });
      expect(r.errors).toEqual([
        `ephemeral-test: port: 127.0.0.1:${port} is already taken by another process; free it or leave "port" unset`,
      ]);
    } finally {
      srv.close();
    }
  });

  it('the action sent SIGTERM mid-run leaves its process group, and the post step ends it', async () => {
    const inputs = { ...command, 'load-duration-seconds': '60', 'load-connections': '2' };
    const main = await mainStep(
      workdir,
      inputs,
      {},
      {
        onSpawn: (child) => {
          void until('the server to start', () => processesWith(marker).length > 0).then(() =>
            setTimeout(() => child.kill('SIGTERM'), 1500),
          );
        },
      },
    );
    expect(main.code).toBeNull();
    expect(main.state.cleanup).toMatch(/"kind":"process"/);
    expect(processesWith(marker).length).toBeGreaterThan(0); // it outlived the action
    const post = await postStep(workdir, main, inputs);
    expect(post.code, post.stdout).toBe(0);
    expect(post.stdout).toMatch(/removed process group \d+/);
    expect(processesWith(marker)).toEqual([]);
  });

  it('keep-on-failure leaves the failed process group, also through the post step, and says how to remove it', async () => {
    const inputs = { ...command, 'ready-timeout-seconds': '1', 'keep-on-failure': 'true' };
    const main = await mainStep(workdir, inputs, { NEVER_READY: '1' });
    expect(main.code).toBe(1);
    const hint = main.report!.kept!.remove_with;
    expect(hint).toMatch(/^kill -- -\d+$/);
    expect(main.warnings.join('\n')).toContain(`remove it with: ${hint}`);
    const post = await postStep(workdir, main, inputs);
    expect(post.stdout).toContain(`left running; remove it with: ${hint}`);
    expect(processesWith(marker).length).toBeGreaterThan(0);
    process.kill(-Number(hint.split('-').pop()), 'SIGTERM');
    await until('the kept process group to end', () => processesWith(marker).length === 0, 10_000);
  });
});
