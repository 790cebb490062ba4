import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBack, type WriteBackOptions, type WriteBackResult } from '@mlflow-actions/git-writeback';
import { startGitServer, type GitServer } from '../setup/git-http.js';
import { captureLogger, parseKeys, setKey, tokenForms } from './fixtures.js';

/**
 * Many writers, one file, one branch: the losers of each push race must re-apply their edit on the
 * winner's head, so no update is lost. Promise.all in one process gives real concurrency here:
 * every run is a chain of git child processes against the same HTTP server.
 */
let server: GitServer;
beforeAll(async () => {
  server = await startGitServer();
});
afterAll(async () => {
  await server?.close();
});

const RUNS = 20;

function options(name: string, edit: WriteBackOptions['edit'], i: number): WriteBackOptions {
  return {
    repository: server.repoUrl(name),
    token: server.token,
    branch: 'main',
    message: `writer ${i}`,
    authorName: `Writer ${i}`,
    authorEmail: `writer-${i}@example.com`,
    edit,
    maxAttempts: 30,
    backoff: { baseMs: 50, maxMs: 1000 },
  };
}

describe('concurrent write-backs to one file', () => {
  it(`${RUNS} runs setting ${RUNS} different keys: all values land, each reported commit is in the history`, async () => {
    const name = 'race-distinct';
    await server.createRepo(name, { 'values.txt': 'seed: 0\n' });
    const logger = captureLogger();
    const results = await Promise.all(
      Array.from({ length: RUNS }, (_, i) =>
        writeBack(options(name, setKey('values.txt', `key${i}`, `value${i}`), i), logger),
      ),
    );

    const final = parseKeys(await server.readFile(name, 'main', 'values.txt'));
    expect(final.seed).toBe('0');
    for (let i = 0; i < RUNS; i++) expect(final[`key${i}`]).toBe(`value${i}`);

    const history = await server.log(name, 'main');
    expect(history).toHaveLength(RUNS + 1); // the seed plus exactly one commit per run
    const shas = new Set(history.map((c) => c.sha));
    results.forEach((r, i) => {
      expect(r.changed).toBe(true);
      expect(shas.has(r.commitSha!)).toBe(true);
      const commit = history.find((c) => c.sha === r.commitSha)!;
      expect(commit).toMatchObject({ subject: `writer ${i}`, authorEmail: `writer-${i}@example.com` });
    });
    // The races really happened and were resolved by re-running the edit.
    expect(results.some((r) => r.attempts > 1)).toBe(true);
    expect(logger.lines.some((l) => l.includes('lost a race'))).toBe(true);
    expect(logger.lines.filter((l) => tokenForms(server.token).some((t) => l.includes(t)))).toEqual([]);
    report('distinct keys', results);
  });

  it(`${RUNS} runs setting the same key: each succeeds or fails clearly, the final value is one of theirs`, async () => {
    const name = 'race-same';
    await server.createRepo(name, { 'values.txt': 'seed: 0\nversion: 0\n' });
    // Two writers share each value, so some runs find their value already there.
    const value = (i: number) => `v${Math.floor(i / 2)}`;
    const settled = await Promise.allSettled(
      Array.from({ length: RUNS }, (_, i) => writeBack(options(name, setKey('values.txt', 'version', value(i)), i))),
    );

    const final = parseKeys(await server.readFile(name, 'main', 'values.txt'));
    expect(final.seed).toBe('0');
    const values = Array.from({ length: RUNS }, (_, i) => value(i));
    expect(values).toContain(final.version);

    const history = await server.log(name, 'main');
    const shas = new Set(history.map((c) => c.sha));
    const fulfilled: WriteBackResult[] = [];
    for (const s of settled) {
      if (s.status === 'rejected') {
        const message = (s.reason as Error).message;
        expect(message).not.toContain('\n');
        expect(message).toMatch(/could not push .* attempts/);
      } else {
        fulfilled.push(s.value);
        if (s.value.changed) expect(shas.has(s.value.commitSha!)).toBe(true);
        else expect(s.value.commitSha).toBeUndefined();
      }
    }
    expect(fulfilled.length).toBeGreaterThan(0);
    // The head commit's writer is the one whose value stands.
    const winner = fulfilled.find((r) => r.commitSha === history[0]!.sha);
    expect(winner).toBeDefined();
    expect((winner!.detail as { value: string }).value).toBe(final.version);
    report('same key', fulfilled);
  });
});

function report(label: string, results: WriteBackResult[]): void {
  const attempts = results.map((r) => r.attempts);
  console.log(
    `${label}: ${results.filter((r) => r.changed).length} commits, ${results.filter((r) => !r.changed).length} no-ops, ` +
      `attempts max ${Math.max(...attempts)}, total ${attempts.reduce((a, b) => a + b, 0)}`,
  );
}
