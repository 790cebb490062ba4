import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineAction } from '../../packages/action-kit/src/define-action.js';
import { InputError, ServiceError } from '../../packages/action-kit/src/errors.js';
import { InputReader, credentialsInUrl, type Env } from '../../packages/action-kit/src/inputs.js';
import { appendSummary, info, printUntrusted, setSecret } from '../../packages/action-kit/src/runner.js';
import { runnerCommands } from '../helpers/runner-protocol.js';

describe('defineAction', () => {
  let stdout: string[];
  let dir: string;
  beforeEach(() => {
    stdout = [];
    dir = mkdtempSync(join(tmpdir(), 'define-action-'));
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (stdout.push(String(s)), true));
    // defineAction ends the process a moment after the action settles; not this test's process.
    vi.spyOn(process, 'exit').mockImplementation(() => undefined as never);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
    process.exitCode = 0;
  });
  const commands = () => runnerCommands(stdout.join(''));

  it('masks every secret before it parses an input, also when the inputs are wrong', async () => {
    const env: Env = { INPUT_TOKEN: 'tok-123', INPUT_REPOSITORY: 'https://x-access-token:ghp_abc@github.com/a/b' };
    await defineAction(
      {
        name: 'demo',
        secrets: (e) => [e.INPUT_TOKEN, ...credentialsInUrl(e.INPUT_REPOSITORY)],
        parseInputs: (e) => {
          info(`parsing ${e.INPUT_REPOSITORY}`);
          throw new InputError([`input 'repository' is wrong`, `input 'branch' is wrong`]);
        },
        run: () => Promise.reject(new Error('must not run')),
      },
      env,
    );
    const cmds = commands();
    const masks = cmds.filter((c) => c.command === 'add-mask').map((c) => c.message);
    expect(masks).toEqual(expect.arrayContaining(['tok-123', 'ghp_abc']));
    const firstOther = stdout.findIndex((l) => !l.startsWith('::add-mask::'));
    expect(stdout.slice(0, firstOther).length).toBe(masks.length);
    expect(cmds.filter((c) => c.command === 'error').map((c) => c.message)).toEqual([
      "demo: input 'repository' is wrong",
      "demo: input 'branch' is wrong",
    ]);
    expect(process.exitCode).toBe(1);
  });

  it("a user's mistake is one annotation without a stack; a bug says so and keeps its stack for debug", async () => {
    await defineAction(
      { name: 'demo', parseInputs: () => ({}), run: () => Promise.reject(new ServiceError('model x not found')) },
      {},
    );
    await defineAction(
      { name: 'demo', parseInputs: () => ({}), run: () => Promise.reject(new TypeError('x is undefined')) },
      {},
    );
    const cmds = commands();
    expect(cmds.filter((c) => c.command === 'error').map((c) => c.message)).toEqual([
      'demo: model x not found',
      'demo failed unexpectedly: x is undefined (please report this)',
    ]);
    expect(cmds.find((c) => c.command === 'debug')?.message).toMatch(/^TypeError: x is undefined\n\s+at /);
  });

  it('with MLFLOW_ACTIONS_INPUTS_ONLY=true it checks the inputs and does nothing else', async () => {
    const run = vi.fn(() => Promise.resolve());
    await defineAction(
      { name: 'demo', parseInputs: (e) => new InputReader(e).raw('x'), run },
      { MLFLOW_ACTIONS_INPUTS_ONLY: 'true' },
    );
    expect(run).not.toHaveBeenCalled();
    expect(process.exitCode ?? 0).toBe(0);
  });

  it('runs post in the post step, told apart by the state the main step saved', async () => {
    const stateFile = join(dir, 'state');
    writeFileSync(stateFile, '');
    const post = vi.fn(() => Promise.resolve());
    const run = vi.fn(() => Promise.resolve());
    const def = { name: 'demo', parseInputs: () => ({}), run, post };
    vi.stubEnv('GITHUB_STATE', stateFile);
    await defineAction(def, {});
    expect(readFileSync(stateFile, 'utf8')).toContain('isPost');
    expect([run.mock.calls.length, post.mock.calls.length]).toEqual([1, 0]);
    vi.stubEnv('STATE_isPost', 'true');
    await defineAction(def, {});
    vi.unstubAllEnvs();
    expect([run.mock.calls.length, post.mock.calls.length]).toEqual([1, 1]);
  });

  it('a post step after an input error is the post step: it does not report the inputs again', async () => {
    const stateFile = join(dir, 'state');
    writeFileSync(stateFile, '');
    const post = vi.fn(() => Promise.resolve());
    const parseInputs = vi.fn(() => {
      throw new InputError([`input 'port' is wrong`]);
    });
    const def = { name: 'demo', parseInputs, run: () => Promise.resolve(), post };
    vi.stubEnv('GITHUB_STATE', stateFile);
    await defineAction(def, {});
    expect(readFileSync(stateFile, 'utf8')).toContain('isPost');
    vi.stubEnv('STATE_isPost', 'true');
    stdout = [];
    await defineAction(def, {});
    vi.unstubAllEnvs();
    expect([parseInputs.mock.calls.length, post.mock.calls.length]).toEqual([1, 1]);
    expect(commands().filter((c) => c.command === 'error')).toEqual([]);
  });

  it('writes the summary once at the end, also when the action failed', async () => {
    const summary = join(dir, 'summary');
    writeFileSync(summary, '');
    vi.stubEnv('GITHUB_STEP_SUMMARY', summary);
    await defineAction(
      {
        name: 'demo',
        parseInputs: () => ({}),
        run: () => {
          appendSummary('### done half');
          return Promise.reject(new ServiceError('then failed'));
        },
      },
      {},
    );
    vi.unstubAllEnvs();
    expect(readFileSync(summary, 'utf8')).toBe('### done half\n');
  });
});

describe('runner output of outside text', () => {
  let stdout: string[];
  beforeEach(() => {
    stdout = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (stdout.push(String(s)), true));
  });
  afterEach(() => vi.restoreAllMocks());

  it('printUntrusted: no line of the text is read as a command, and the text is all there', () => {
    const hostile = [
      '  ::warning file=x::owned',
      '::add-mask::everything',
      '::set-output name=changed::false',
      '##[error]fake failure',
      '::stop-commands::abc',
      '::abc::',
    ].join('\n');
    printUntrusted(hostile);
    info('after');
    const out = stdout.join('');
    expect(runnerCommands(out)).toEqual([]);
    expect(out).toContain(hostile);
    expect(out.trimEnd().endsWith('after')).toBe(true);
  });

  it('info: a log line quoting outside text starts no command, and keeps its words', () => {
    const quoted = ['  ::warning file=x::owned', '::add-mask::everything', 'a body with ##[error]fake inside'];
    for (const line of quoted) info(`the service said: ${line}`);
    info(quoted.join('\n'));
    const out = stdout.join('');
    expect(runnerCommands(out)).toEqual([]);
    expect(out.replaceAll('\u200b', '')).toContain(quoted.join('\n'));
  });

  it('setSecret masks a multi-line secret line by line too', () => {
    setSecret('-----BEGIN KEY-----\nabc\n-----END KEY-----');
    const masks = runnerCommands(stdout.join('')).map((c) => c.message);
    expect(masks).toEqual([
      '-----BEGIN KEY-----\nabc\n-----END KEY-----',
      '-----BEGIN KEY-----',
      'abc',
      '-----END KEY-----',
    ]);
  });

  it('credentialsInUrl finds userinfo with and without a scheme, raw and decoded, and nothing else', () => {
    expect(credentialsInUrl('https://x-access-token:gh%2Fp@github.com/a/b')).toEqual(
      expect.arrayContaining(['x-access-token:gh%2Fp', 'gh%2Fp', 'gh/p']),
    );
    expect(credentialsInUrl('x-access-token:tok@github.com/a/b')).toContain('tok');
    expect(credentialsInUrl('acme/puppet')).toEqual([]);
    expect(credentialsInUrl('https://github.com/a/b?x=@y')).toEqual([]);
  });
});
