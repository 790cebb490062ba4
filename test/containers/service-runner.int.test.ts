import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '@mlflow-actions/action-kit/log';
import { parseChecks, runChecks, runLoadTest, versionCheck, waitForReady } from '@mlflow-actions/http-checks';
import { startContainer, startProcess, type RunningService } from '@mlflow-actions/service-runner';
import { dockerEnv, MODEL_IMAGE, SERVER_JS } from '../setup/model-image.js';

const LABEL = `mlflow-actions.test=${process.pid}`;
const logDir = mkdtempSync(join(tmpdir(), 'svc-logs-'));
const started: RunningService[] = [];

async function start(mode: 'container' | 'process', knobs: Record<string, string> = {}): Promise<RunningService> {
  let svc: RunningService;
  if (mode === 'container') {
    // The container gets these by name only: their values come from this process's environment.
    Object.assign(process.env, knobs);
    try {
      svc = await startContainer({
        image: MODEL_IMAGE,
        port: 8000,
        env: Object.keys(knobs),
        volumes: [],
        addHosts: [],
        label: LABEL,
        cwd: process.cwd(),
        logger: silentLogger,
      });
    } finally {
      for (const k of Object.keys(knobs)) Reflect.deleteProperty(process.env, k);
    }
  } else {
    svc = await startProcess({
      command: `"${process.execPath}" "${SERVER_JS}"`,
      env: { ...process.env, ...knobs },
      cwd: process.cwd(),
      logDir,
      pidFile: join(logDir, `pid-${started.length}`),
      logger: silentLogger,
    });
  }
  started.push(svc);
  return svc;
}

const ready = (svc: RunningService, timeoutMs = 20_000, expectJson?: Record<string, unknown>) =>
  waitForReady({ url: `${svc.baseUrl}/health`, timeoutMs, exited: svc.exited, logger: silentLogger, expectJson });

afterEach(async () => {
  for (const s of started.splice(0)) await s.stop();
});

afterAll(() => {
  rmSync(logDir, { recursive: true, force: true });
  const left = execFileSync('docker', ['ps', '-aq', '--filter', `label=${LABEL}`], {
    env: dockerEnv,
    encoding: 'utf8',
  });
  expect(left.trim()).toBe('');
});

describe.each(['container', 'process'] as const)('%s mode', (mode) => {
  it('a healthy server passes readiness (JSON body), ordered checks and the version', async () => {
    const svc = await start(mode, { MODEL_VERSION: '7', API_ADMIN_TOKEN: 's3cret' });
    const r = await ready(svc, 20_000, { status: 'ok', 'model.version': 7 });
    expect(r.ready).toBe(true);
    process.env.TEST_ADMIN_TOKEN = 's3cret';
    const checks = parseChecks(`
- path: /predict
  json: { inputs: [[6.1, 2.8], [1.0, 0.2]] }
  expect-json: { "predictions[0]": 1, "predictions[1]": 0 }
- name: reload without token
  method: POST
  path: /admin/reload
  expect-status: 403
- name: reload with token
  method: POST
  path: /admin/reload
  headers: { X-Admin-Token: "\${TEST_ADMIN_TOKEN}" }
  expect-json: { status: reloaded }
`);
    const results = await runChecks({
      baseUrl: svc.baseUrl,
      checks: [...checks, versionCheck('7')],
      env: process.env,
      logger: silentLogger,
    });
    expect(results.map((c) => [c.name, c.passed, c.failures])).toEqual([
      ['POST /predict', true, []],
      ['reload without token', true, []],
      ['reload with token', true, []],
      ['version is 7', true, []],
    ]);
  });

  it('a wrong token on reload fails the check, a wrong version names both versions', async () => {
    const svc = await start(mode, { MODEL_VERSION: '6', API_ADMIN_TOKEN: 'right' });
    expect((await ready(svc)).ready).toBe(true);
    const checks = parseChecks('- { method: POST, path: /admin/reload, headers: { X-Admin-Token: wrong } }');
    const results = await runChecks({
      baseUrl: svc.baseUrl,
      checks: [...checks, versionCheck('7')],
      logger: silentLogger,
    });
    expect(results[0]).toMatchObject({ passed: false, status: 403, failures: ['status 403, expected 2xx'] });
    expect(results[1]!.failures).toEqual(['/version reports version "6", expected version "7"']);
  });

  it('a slow start is waited for', async () => {
    const svc = await start(mode, { READY_DELAY_MS: '1500' });
    const r = await ready(svc);
    expect(r).toMatchObject({ ready: true });
    expect(r.attempts).toBeGreaterThan(2);
  });

  it('a crash on start stops readiness at once with the exit code and the last logs', async () => {
    const svc = await start(mode, { CRASH_ON_START: '3' });
    const r = await ready(svc, 60_000);
    expect(r).toMatchObject({ ready: false, reason: 'exited', exit: { exitCode: 3 } });
    if (!r.ready) expect(r.exit?.logs).toContain('refusing to start');
  });

  it('a server that never gets ready times out with the last status seen', async () => {
    const svc = await start(mode, { NEVER_READY: '1' });
    const r = await ready(svc, 1500);
    expect(r).toMatchObject({ ready: false, reason: 'timeout', lastStatus: 503 });
    if (!r.ready) expect(r.message).toContain('status 503');
  });

  it('load thresholds met pass, missed fail, and 500s under load fail on the error rate', async () => {
    const svc = await start(mode, {});
    expect((await ready(svc)).ready).toBe(true);
    const [predict] = parseChecks('- { path: /predict, json: { inputs: [[6, 1]] } }');
    const base = { baseUrl: svc.baseUrl, request: predict!, durationSeconds: 2, connections: 4, logger: silentLogger };
    const met = await runLoadTest({ ...base, thresholds: { maxP95Ms: 1000, minRps: 10, maxErrorRate: 0 } });
    expect(met).toMatchObject({ passed: true, non2xx: 0, socketErrors: 0 });
    expect(met.requests).toBeGreaterThan(20);
    const missed = await runLoadTest({ ...base, thresholds: { minRps: met.rps * 100 } });
    expect(missed.passed).toBe(false);
    expect(missed.failures[0]).toMatch(/req\/s < min-rps/);

    const overloaded = await start(mode, { FAIL_ABOVE_RPS: '20' });
    expect((await ready(overloaded)).ready).toBe(true);
    const r = await runLoadTest({ ...base, baseUrl: overloaded.baseUrl, thresholds: { maxErrorRate: 0.01 } });
    expect(r.passed).toBe(false);
    expect(r.statusCounts['500']).toBeGreaterThan(0);
    expect(r.failures.join()).toMatch(/error rate .* non-2xx/);
  });

  it('a load test against nothing never passes', async () => {
    const svc = await start(mode, {});
    expect((await ready(svc)).ready).toBe(true);
    await svc.stop();
    const [health] = parseChecks('- path: /health');
    const r = await runLoadTest({
      baseUrl: svc.baseUrl,
      request: health!,
      durationSeconds: 1,
      connections: 2,
      thresholds: {},
      logger: silentLogger,
    });
    expect(r.passed).toBe(false);
    expect(r.failures[0]).toMatch(/no request was answered|sent no request/);
  });
});
