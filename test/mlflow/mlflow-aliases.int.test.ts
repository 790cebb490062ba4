import { afterAll, describe, expect, inject, it } from 'vitest';
import { aliasesOf, deleteAlias, moveAlias, rollbackAlias, setAlias } from '../../packages/mlflow-client/src/index.js';
import { modelWithVersions, testClient } from '../helpers/mlflow-models.js';

const { plain, auth } = inject('mlflow');
const client = testClient(plain.url);
afterAll(() => client.close());
const runId = plain.seed.prod_model.run_ids[0]!;

describe('MLflow alias moves against the real server', () => {
  it('sets, reads and deletes an alias (DELETE with a JSON body)', async () => {
    const m = await modelWithVersions(client, runId, 2);
    await setAlias(client, m.name, 'staging', m.versions[1]!);
    expect(await aliasesOf(client, m.name)).toEqual({ staging: m.versions[1] });
    expect((await client.getModelVersionByAlias(m.name, 'staging')).version).toBe(m.versions[1]);
    await deleteAlias(client, m.name, 'staging');
    expect(await aliasesOf(client, m.name)).toEqual({});
  });

  it('moves an alias and records where it was under the previous alias; a rollback goes back there', async () => {
    const m = await modelWithVersions(client, runId, 3);
    const [v1, v2, v3] = m.versions as [string, string, string];
    const first = await moveAlias(client, {
      name: m.name,
      alias: 'production',
      version: v1,
      previousAlias: 'previous-production',
    });
    // A new alias has nothing to record: previous-production stays unset.
    expect(first).toMatchObject({ previousVersion: undefined, version: v1, changed: true });
    expect(await aliasesOf(client, m.name)).toEqual({ production: v1 });

    const second = await moveAlias(client, {
      name: m.name,
      alias: 'production',
      version: v2,
      previousAlias: 'previous-production',
    });
    expect(second).toMatchObject({
      previousVersion: v1,
      version: v2,
      changed: true,
      previousAlias: { before: undefined, after: v1 },
    });
    expect(await aliasesOf(client, m.name)).toEqual({ production: v2, 'previous-production': v1 });

    await moveAlias(client, { name: m.name, alias: 'production', version: v3, previousAlias: 'previous-production' });
    expect(await aliasesOf(client, m.name)).toEqual({ production: v3, 'previous-production': v2 });

    // Running the same promotion again moves nothing (previous-production keeps v2, not v3).
    const again = await moveAlias(client, {
      name: m.name,
      alias: 'production',
      version: v3,
      previousAlias: 'previous-production',
    });
    expect(again.changed).toBe(false);
    expect(await aliasesOf(client, m.name)).toEqual({ production: v3, 'previous-production': v2 });

    const back = await rollbackAlias(client, {
      name: m.name,
      alias: 'production',
      previousAlias: 'previous-production',
    });
    expect(back).toMatchObject({ previousVersion: v3, version: v2, changed: true });
    expect(await aliasesOf(client, m.name)).toEqual({ production: v2, 'previous-production': v2 });
  });

  it('a dry run reads but writes nothing', async () => {
    const m = await modelWithVersions(client, runId, 2);
    await setAlias(client, m.name, 'production', m.versions[0]!);
    const move = await moveAlias(client, {
      name: m.name,
      alias: 'production',
      version: m.versions[1]!,
      previousAlias: 'prev',
      dryRun: true,
    });
    expect(move).toMatchObject({ previousVersion: m.versions[0], version: m.versions[1], changed: true });
    expect(await aliasesOf(client, m.name)).toEqual({ production: m.versions[0] });
  });

  it('names the problem in one line: unknown model, unknown version, no alias to roll back to, no right to edit', async () => {
    await expect(aliasesOf(client, 'no-such-model-anywhere')).rejects.toThrow(
      "MLflow has no registered model 'no-such-model-anywhere': check input 'model-name'",
    );
    const m = await modelWithVersions(client, runId, 1);
    await expect(setAlias(client, m.name, 'production', '99')).rejects.toThrow(
      `MLflow model '${m.name}' has no version 99: check input 'model-version'`,
    );
    await expect(
      rollbackAlias(client, { name: m.name, alias: 'production', previousAlias: 'previous-production' }),
    ).rejects.toThrow(
      `MLflow model '${m.name}' has no alias 'previous-production' to roll back to: check input 'previous-alias'`,
    );
    // 'outsider' may only read (the auth server's default permission is READ).
    const admin = testClient(auth.url, auth.admin);
    const own = await modelWithVersions(admin, auth.seed.prod_model.run_ids[0]!, 1);
    admin.close();
    const outsider = testClient(auth.url, { username: 'outsider', password: auth.seed.users.outsider!.password });
    await expect(setAlias(outsider, own.name, 'production', own.versions[0]!)).rejects.toThrow(
      "403 Permission denied: user 'outsider' may not change registered-models/alias; grant EDIT (or MANAGE) on the model",
    );
    outsider.close();
  });
});
