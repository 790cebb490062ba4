import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OPTIONS } from '../../packages/webhook-relay/src/config.js';
import { relayBin, repoRoot } from './relay-process.js';

const TOKEN = 'github_pat_cli0unit0test0token000000000000';
const SECRET = 'cli-unit-secret-0000';
const dir = mkdtempSync(join(tmpdir(), 'relay-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    execFile(
      process.execPath,
      [relayBin, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env } },
      (e, stdout, stderr) => resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

const good = { MLFLOW_WEBHOOK_SECRET: SECRET, GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: 'acme/model-deploy' };

describe('mlflow-webhook-relay CLI', () => {
  it.each([
    [
      ['serve'],
      {},
      [
        "--webhook-secret is required: set MLFLOW_WEBHOOK_SECRET to the webhook's secret",
        '--github-token is required: set GITHUB_TOKEN to a token for --repo',
        '--repo "" is not owner/name: set GITHUB_REPOSITORY, e.g. acme/model-deploy',
      ],
    ],
    [
      ['serve', '--github-api-url', 'http://github.example.com/api/v3'],
      good,
      ['--github-api-url must be https (plain http only to 127.0.0.1, ::1 or localhost), not http:'],
    ],
    [
      ['serve', '--github-api-url', `https://x:${TOKEN}@ghe.example.com/api/v3`],
      good,
      ['--github-api-url must not hold credentials: pass the token with --github-token'],
    ],
    [
      ['serve', '--port', '99999', '--tolerance-seconds', '0'],
      good,
      [
        '--port must be a whole number from 0 to 65535, not "99999"',
        '--tolerance-seconds must be a whole number from 1 to 86400, not "0"',
      ],
    ],
    [
      ['serve', '--events', 'model_version.created,model.deployed'],
      good,
      [/--events: unknown model\.deployed; known: registered_model\.created, model_version\.created/],
    ],
    [
      ['serve', '--github-token-file', join(dir, 'missing')],
      { ...good, GITHUB_TOKEN: '' },
      [`--github-token-file: cannot read ${join(dir, 'missing')} (ENOENT)`],
    ],
    [['serve', '--colour', 'red'], good, [/Unknown option '--colour'.*; see --help$/]],
    [['deploy'], good, ['unknown command "deploy": run \'mlflow-webhook-relay serve\' (see --help)']],
  ])('%j: one line per problem, exit 2, no stack, no secret', async (args, env, lines) => {
    const r = await run(args, env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const expected = (lines as (string | RegExp)[]).map((l) =>
      typeof l === 'string'
        ? `mlflow-webhook-relay: ${l}`
        : (expect.stringMatching(new RegExp(`^mlflow-webhook-relay: ${l.source}`)) as unknown),
    );
    expect(r.stderr.trimEnd().split('\n')).toEqual(expected);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain(TOKEN);
    expect(r.stderr).not.toContain(SECRET);
  });

  it('reads the secret and the token from files, and says where it listens', async () => {
    writeFileSync(join(dir, 'secret'), `${SECRET}\n`);
    writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
    const child = execFile(process.execPath, [relayBin, 'serve', '--port', '0'], {
      env: {
        PATH: process.env.PATH ?? '',
        MLFLOW_WEBHOOK_SECRET_FILE: join(dir, 'secret'),
        GITHUB_TOKEN_FILE: join(dir, 'token'),
        GITHUB_REPOSITORY: 'acme/model-deploy',
      },
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', () => out.includes('listening on') && resolve());
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    // 'close', not 'exit': the last lines may still be in the pipe when the process ends.
    const exited = new Promise((r) => child.on('close', r));
    child.kill('SIGTERM');
    await exited;
    expect(out).toMatch(
      /listening on http:\/\/127\.0\.0\.1:\d+\/webhook; relaying every event to acme\/model-deploy via api\.github\.com/,
    );
    expect(out).toMatch(/SIGTERM: finishing accepted deliveries, then stopping/);
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain(SECRET);
  });

  it('prints its usage with every option and its environment variable', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const [flag, env] of [
      ['--webhook-secret', 'MLFLOW_WEBHOOK_SECRET'],
      ['--github-api-url', 'GITHUB_API_URL'],
    ]) {
      expect(r.stdout).toMatch(new RegExp(`${flag}\\s+${env}\\s`));
    }
  });

  it("README's options table has every option, its variable and its default", () => {
    // Prettier pads the table's cells to align the columns.
    const readme = readFileSync(join(repoRoot, 'packages', 'webhook-relay', 'README.md'), 'utf8');
    const rows = new Map(
      [...readme.matchAll(/^\| `--([a-z-]+)` +\| `([A-Z_]+)` +\|([^|]*)\|/gm)].map((m) => [
        m[1],
        { env: m[2], dflt: m[3]!.trim() },
      ]),
    );
    expect([...rows.keys()].sort()).toEqual(Object.keys(OPTIONS).sort());
    for (const [name, o] of Object.entries(OPTIONS)) {
      expect(rows.get(name)?.env, name).toBe(o.env);
      if ('default' in o && o.default) expect(rows.get(name)?.dflt, name).toBe(`\`${o.default}\``);
    }
  });
});
