import { afterAll, describe, expect, inject, it } from 'vitest';
import { aliasesOf, setAlias } from '../../packages/mlflow-client/src/index.js';
import { runActionBundle } from '../helpers/run-action.js';
import { modelWithVersions, testClient } from '../helpers/mlflow-models.js';

// The committed bundle (dist/mlflow-alias) against the real MLflow servers.
const { plain, auth } = inject('mlflow');
const client = testClient(plain.url);
afterAll(() => client.close());
const runId = plain.seed.prod_model.run_ids[0]!;

describe('mlflow-alias (the bundle) against the real MLflow server', () => {
  it('moves an alias, recording the version it left under previous-alias', async () => {
    const m = await modelWithVersions(client, runId, 2, 'alias-action');
    await setAlias(client, m.name, 'production', m.versions[0]!);
    const run = await runActionBundle('mlflow-alias', {
      'tracking-uri': plain.url,
      'model-name': m.name,
      alias: 'production',
      'model-version': m.versions[1]!,
      'previous-alias': 'previous-production',
    });
    expect(run.errors).toEqual([]);
    expect(run.outputs).toEqual({ 'previous-version': m.versions[0], version: m.versions[1] });
    expect(await aliasesOf(client, m.name)).toEqual({
      production: m.versions[1],
      'previous-production': m.versions[0],
    });
    expect(run.summary).toContain('| `previous-production` | _(none)_ |');
  });

  it('deletes an alias; a dry run writes nothing', async () => {
    const m = await modelWithVersions(client, runId, 2, 'alias-action');
    await setAlias(client, m.name, 'staging-approved', m.versions[0]!);
    const dry = await runActionBundle('mlflow-alias', {
      'tracking-uri': plain.url,
      'model-name': m.name,
      alias: 'staging-approved',
      'model-version': m.versions[1]!,
      'dry-run': 'true',
    });
    expect(dry.outputs).toEqual({ 'previous-version': m.versions[0], version: m.versions[1] });
    expect(await aliasesOf(client, m.name)).toEqual({ 'staging-approved': m.versions[0] });
    const del = await runActionBundle('mlflow-alias', {
      'tracking-uri': plain.url,
      'model-name': m.name,
      alias: 'staging-approved',
      delete: 'true',
    });
    expect(del.errors).toEqual([]);
    expect(del.outputs).toEqual({ 'previous-version': m.versions[0], version: '' });
    expect(await aliasesOf(client, m.name)).toEqual({});
  });

  it('masks the credentials and names a denied write in one line', async () => {
    const admin = testClient(auth.url, auth.admin);
    const m = await modelWithVersions(admin, auth.seed.prod_model.run_ids[0]!, 1, 'alias-action');
    admin.close();
    const password = auth.seed.users.outsider!.password;
    const run = await runActionBundle('mlflow-alias', {
      'tracking-uri': auth.url,
      'model-name': m.name,
      alias: 'production',
      'model-version': m.versions[0]!,
      username: 'outsider',
      password,
    });
    expect(run.code).not.toBe(0);
    expect(run.masked).toContain(password);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain("user 'outsider' may not change registered-models/alias");
  });

  it('reports every bad input at once', async () => {
    const run = await runActionBundle('mlflow-alias', {
      'tracking-uri': 'ftp://x',
      'model-name': 'm',
      alias: 'latest',
      'model-version': '3',
      delete: 'true',
    });
    expect(run.code).not.toBe(0);
    const text = run.errors.join('\n');
    expect(text).toContain("input 'tracking-uri' must be the http(s) URL");
    expect(text).toContain("input 'alias' 'latest' is reserved by MLflow");
    expect(text).toContain("inputs 'delete' and 'model-version' conflict");
  });
});
