import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';
import { modelVersionCreated, signedDelivery, startRelay, type RelayProcess } from './relay-process.js';

/**
 * The relay's CLI bundle against a fake GitHub built from GitHub's OpenAPI description, with
 * deliveries signed here the way MLflow signs them. MLflow's own deliveries are in
 * mlflow-delivery.contract.test.ts.
 */
const SECRET = `whsec-${randomBytes(18).toString('base64url')}`;
const TOKEN = `github_pat_${randomBytes(24).toString('hex')}`;
const OWNER = 'acme';
const REPO = 'model-deploy';

let github: FakeGitHub;
let relay: RelayProcess;
const outputs: (() => string)[] = [];

beforeAll(async () => {
  github = await startFakeGitHub({ token: TOKEN, owner: OWNER, repo: REPO });
  relay = await startRelay({ secret: SECRET, token: TOKEN, repo: `${OWNER}/${REPO}`, apiUrl: github.apiUrl });
  outputs.push(relay.output);
});

afterAll(async () => {
  await relay?.stop();
  await github?.close();
  // Whatever happened, neither credential may have reached a log line.
  for (const out of outputs) {
    expect(out()).not.toContain(SECRET);
    expect(out()).not.toContain(TOKEN);
  }
});

async function post(headers: Record<string, string>, body: string | Buffer, url = relay.webhookUrl) {
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const dispatchesOf = (model: string) => github.dispatches.filter((d) => d.client_payload.model_name === model);

describe('refusals', () => {
  it('refuses a tampered body, a wrong secret, a stale or early timestamp and a missing signature with 401', async () => {
    const good = signedDelivery(SECRET, modelVersionCreated('refused-model', '1'));
    const tampered = await post(good.headers, good.body.replace('"1"', '"2"'));
    const wrongSecret = signedDelivery('not-the-secret', modelVersionCreated('refused-model', '1'));
    const stale = signedDelivery(SECRET, modelVersionCreated('refused-model', '1'), {
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    const early = signedDelivery(SECRET, modelVersionCreated('refused-model', '1'), {
      timestamp: Math.floor(Date.now() / 1000) + 301,
    });
    const { 'x-mlflow-signature': _dropped, ...unsigned } = good.headers;
    const otherId = { ...good.headers, 'x-mlflow-delivery-id': 'another-id' };
    const answers = {
      tampered,
      wrongSecret: await post(wrongSecret.headers, wrongSecret.body),
      stale: await post(stale.headers, stale.body),
      early: await post(early.headers, early.body),
      unsigned: await post(unsigned, good.body),
      otherId: await post(otherId, good.body),
    };
    for (const [what, a] of Object.entries(answers)) expect(a.status, what).toBe(401);
    expect(answers.tampered.body.error).toBe('signature does not match');
    expect(answers.wrongSecret.body.error).toBe('signature does not match');
    expect(answers.stale.body.error).toMatch(/timestamp outside the 300 s window/);
    expect(answers.early.body.error).toMatch(/timestamp outside/);
    expect(answers.unsigned.body.error).toMatch(/missing X-MLflow-Signature/);
    // The untouched delivery still goes through: the refusals did not burn its id.
    expect((await post(good.headers, good.body)).status).toBe(202);
    await relay.waitFor((s) => s.pending === 0 && s.relayed >= 1, 'the good delivery relayed');
    expect(dispatchesOf('refused-model')).toHaveLength(1);
  });

  it('answers 400 to a genuine delivery whose body is not an MLflow event, and relays nothing', async () => {
    const bodies = [
      'not json',
      '[1,2]',
      JSON.stringify({ entity: 'model_version', action: 'created' }),
      JSON.stringify({ entity: 'model_version', action: 'created', data: { name: 'malformed-model' } }),
      JSON.stringify({
        entity: 'model_version_alias',
        action: 'created',
        data: { name: 'malformed-model', version: '1' },
      }),
      JSON.stringify({ entity: 'model_version', action: 'created', data: { name: 'malformed-model', version: 3 } }),
    ];
    const answers = await Promise.all(bodies.map((b) => signedDelivery(SECRET, b)).map((d) => post(d.headers, d.body)));
    expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 400));
    expect(answers.map((a) => a.body.error)).toEqual([
      'body is not JSON',
      'body is not a JSON object',
      '"data" is missing or not an object',
      '"data.version" is missing for model_version.created',
      '"data.alias" is missing for model_version_alias.created',
      '"data.version" is missing for model_version.created',
    ]);
    expect(dispatchesOf('malformed-model')).toHaveLength(0);
  });

  it('answers 413 to an oversized body, 404 to another path and 405 to another method', async () => {
    const big = signedDelivery(SECRET, JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }));
    expect((await post(big.headers, big.body)).status).toBe(413);
    expect((await post({}, '{}', `${relay.url}/elsewhere`)).status).toBe(404);
    expect((await fetch(relay.webhookUrl)).status).toBe(405);
  });
});

describe('relaying', () => {
  it('relays 100 deliveries sent at once, each twice, exactly once each', async () => {
    const deliveries = Array.from({ length: 100 }, (_, i) =>
      signedDelivery(SECRET, modelVersionCreated('burst-model', String(i + 1))),
    );
    const before = await relay.stats();
    const answers = await Promise.all(deliveries.flatMap((d) => [post(d.headers, d.body), post(d.headers, d.body)]));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 202)).toHaveLength(100);
    expect(statuses.filter((s) => s === 200)).toHaveLength(100);
    await relay.waitFor((s) => s.pending === 0 && s.relayed >= before.relayed + 100, '100 more relayed');
    const got = dispatchesOf('burst-model');
    expect(got).toHaveLength(100);
    expect(new Set(got.map((d) => d.client_payload.delivery_id))).toEqual(new Set(deliveries.map((d) => d.deliveryId)));
    expect(got.map((d) => Number(d.client_payload.model_version)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    // A replay after it was relayed is still a duplicate.
    const again = await post(deliveries[0]!.headers, deliveries[0]!.body);
    expect(again).toEqual({ status: 200, body: { status: 'duplicate', delivery_id: deliveries[0]!.deliveryId } });
    expect(dispatchesOf('burst-model')).toHaveLength(100);
  });

  it('sends what the workflow needs: event_type, names, the delivery id and MLflow data', async () => {
    const body = JSON.stringify({
      entity: 'model_version_alias',
      action: 'created',
      timestamp: '2026-12-01T21:00:00.000000+00:00',
      data: { name: 'payload-model', alias: 'champion', version: '7' },
    });
    const d = signedDelivery(SECRET, body);
    expect((await post(d.headers, d.body)).status).toBe(202);
    await relay.waitFor((s) => s.pending === 0 && dispatchesOf('payload-model').length > 0, 'payload-model relayed');
    expect(dispatchesOf('payload-model')).toEqual([
      {
        owner: OWNER,
        repo: REPO,
        event_type: 'mlflow.model_version_alias.created',
        client_payload: {
          event: 'model_version_alias.created',
          model_name: 'payload-model',
          model_version: '7',
          alias: 'champion',
          delivery_id: d.deliveryId,
          mlflow_timestamp: '2026-12-01T21:00:00.000000+00:00',
          data: { name: 'payload-model', alias: 'champion', version: '7' },
        },
      },
    ]);
    const attempt = github.attempts.find(
      (a) => (a.body as { client_payload?: { model_name?: string } })?.client_payload?.model_name === 'payload-model',
    );
    expect(attempt).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      accept: 'application/vnd.github+json',
      apiVersion: '2022-11-28',
    });
  });

  it('leaves out MLflow data that would pass GitHub 64 KB limit, keeping the names', async () => {
    const body = JSON.stringify({
      entity: 'model_version',
      action: 'created',
      data: { name: 'large-model', version: '1', source: 's3://b/m', tags: {}, description: 'd'.repeat(70_000) },
    });
    const d = signedDelivery(SECRET, body);
    expect((await post(d.headers, d.body)).status).toBe(202);
    await relay.waitFor((s) => s.pending === 0 && dispatchesOf('large-model').length > 0, 'large-model relayed');
    expect(dispatchesOf('large-model')[0]!.client_payload).toMatchObject({ model_version: '1', data_omitted: true });
    expect(dispatchesOf('large-model')[0]!.client_payload.data).toBeUndefined();
  });

  it('retries GitHub after a 502 and after a 503 with Retry-After, and relays once', async () => {
    github.failNext({ status: 502 }, { status: 503, headers: { 'retry-after': '1' } });
    const d = signedDelivery(SECRET, modelVersionCreated('flaky-github-model', '1'));
    expect((await post(d.headers, d.body)).status).toBe(202);
    await relay.waitFor(
      (s) => s.pending === 0 && dispatchesOf('flaky-github-model').length > 0,
      'relayed after retries',
    );
    const tries = github.attempts.filter(
      (a) => (a.body as { client_payload?: { delivery_id?: string } })?.client_payload?.delivery_id === d.deliveryId,
    );
    expect(tries.map((a) => a.status)).toEqual([502, 503, 204]);
    expect(dispatchesOf('flaky-github-model')).toHaveLength(1);
    expect(relay.output()).toMatch(
      /flaky-github-model" v1: dispatched mlflow\.model_version\.created \(HTTP 204, 3 attempts\)/,
    );
  });
});

describe('other set-ups', () => {
  it('retries a connection reset, keeps a GHES base path, and relays only the chosen events', async () => {
    const ghes = await startFakeGitHub({ token: TOKEN, owner: OWNER, repo: REPO, basePath: '/api/v3' });
    const origin = new URL(ghes.apiUrl);
    const proxy = await startFaultProxy(origin, (i) => (i === 0 ? 'reset' : 'pass'));
    const r = await startRelay({
      secret: SECRET,
      token: TOKEN,
      repo: `${OWNER}/${REPO}`,
      apiUrl: `${proxy.url}/api/v3`,
      args: ['--events', 'model_version.created'],
    });
    outputs.push(r.output);
    try {
      const ignored = signedDelivery(
        SECRET,
        JSON.stringify({ entity: 'model_version_alias', action: 'deleted', data: { name: 'ghes-model', alias: 'x' } }),
      );
      expect((await post(ignored.headers, ignored.body, r.webhookUrl)).body.status).toBe('ignored');
      const d = signedDelivery(SECRET, modelVersionCreated('ghes-model', '4'));
      expect((await post(d.headers, d.body, r.webhookUrl)).status).toBe(202);
      await r.waitFor((s) => s.pending === 0 && s.relayed === 1, 'relayed through the reset');
      expect(proxy.connections[0]).toBe('reset');
      expect(ghes.attempts.map((a) => [a.path, a.status])).toEqual([
        ['/api/v3/repos/acme/model-deploy/dispatches', 204],
      ]);
      expect(ghes.dispatches.map((x) => x.event_type)).toEqual(['mlflow.model_version.created']);
    } finally {
      await r.stop();
      await proxy.close();
      await ghes.close();
    }
  });

  it('does not retry a token GitHub refuses, and says why without printing it', async () => {
    const r = await startRelay({
      secret: SECRET,
      token: `${TOKEN}-revoked`,
      repo: `${OWNER}/${REPO}`,
      apiUrl: github.apiUrl,
    });
    outputs.push(r.output);
    try {
      const before = github.attempts.length;
      const d = signedDelivery(SECRET, modelVersionCreated('revoked-token-model', '1'));
      expect((await post(d.headers, d.body, r.webhookUrl)).status).toBe(202);
      const s = await r.waitFor((x) => x.pending === 0 && x.failed === 1, 'the dispatch failed');
      expect(s.relayed).toBe(0);
      expect(github.attempts.slice(before).map((a) => a.status)).toEqual([401]);
      expect(r.output()).toContain(
        `delivery ${d.deliveryId} model_version.created "revoked-token-model" v1: not dispatched after 1 attempt: ` +
          'GitHub answered HTTP 401: "Bad credentials" (the token is invalid or expired)',
      );
    } finally {
      await r.stop();
    }
  });

  it('picks up a token file rewritten while it runs (an app token renewed beside it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-token-'));
    const file = join(dir, 'token');
    writeFileSync(file, `${TOKEN}-expired\n`);
    const r = await startRelay({
      secret: SECRET,
      token: '',
      repo: `${OWNER}/${REPO}`,
      apiUrl: github.apiUrl,
      env: { GITHUB_TOKEN_FILE: file },
    });
    outputs.push(r.output);
    try {
      const first = signedDelivery(SECRET, modelVersionCreated('renewed-token-model', '1'));
      await post(first.headers, first.body, r.webhookUrl);
      await r.waitFor((x) => x.pending === 0 && x.failed === 1, 'the first dispatch refused');
      writeFileSync(file, `${TOKEN}\n`);
      // A later mtime for certain, whatever the file system's time resolution.
      utimesSync(file, new Date(), new Date(Date.now() + 5000));
      const second = signedDelivery(SECRET, modelVersionCreated('renewed-token-model', '2'));
      await post(second.headers, second.body, r.webhookUrl);
      await r.waitFor((x) => x.pending === 0 && x.relayed === 1, 'the second dispatch sent');
      expect(dispatchesOf('renewed-token-model').map((d) => d.client_payload.model_version)).toEqual(['2']);
    } finally {
      await r.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
