// patches/@actions+core+3.0.1.patch makes @actions/core load its OIDC client (and with it
// @actions/http-client and undici, about 100 ms of every action's start) only when an ID token is
// asked for. These tests hold both halves: importing the toolkit loads neither module, and
// getIDToken still works, against a loopback stand-in for the runner's token endpoint that answers
// as GitHub documents it (GET <ACTIONS_ID_TOKEN_REQUEST_URL>&audience=..., bearer
// ACTIONS_ID_TOKEN_REQUEST_TOKEN, a JSON body {"value": "<jwt>"}).
import { execFile, execFileSync } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

/** The module URLs that importing `specifier` resolves, as seen by a resolve hook in a fresh Node. */
function modulesLoadedBy(specifier: string): string[] {
  const script = `
    import { registerHooks } from 'node:module';
    const seen = [];
    registerHooks({ resolve(s, c, next) { const r = next(s, c); seen.push(r.url); return r; } });
    await import(${JSON.stringify(specifier)});
    console.log(JSON.stringify(seen));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out) as string[];
}

describe('@actions/core with the lazy OIDC patch', () => {
  it('loads neither the OIDC client nor an HTTP client at import', () => {
    const loaded = modulesLoadedBy('@actions/core');
    expect(loaded.some((u) => u.endsWith('/@actions/core/lib/core.js'))).toBe(true);
    expect(loaded.filter((u) => /oidc-utils|http-client|undici/.test(u))).toEqual([]);
  });

  describe('getIDToken', () => {
    let server: Server;
    const requests: { url: string; headers: IncomingHttpHeaders }[] = [];
    beforeAll(async () => {
      server = createServer((req, res) => {
        requests.push({ url: req.url ?? '', headers: req.headers });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ count: 1, value: 'header.payload.signature' }));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    });
    afterAll(() => server?.close());

    it('fetches the token from the runner endpoint on first use', async () => {
      const { port } = server.address() as AddressInfo;
      // A child process (not a blocking one: this process serves its request), since getIDToken
      // reads its endpoint from the environment, as on the runner.
      const script = `
        import { getIDToken } from '@actions/core';
        console.log(JSON.stringify(await getIDToken('sts.example')));`;
      const { stdout: out } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        cwd: root,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/token?api-version=2.0`,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
        },
      });
      // The token is masked first (core.setSecret), then returned.
      expect(out).toContain('::add-mask::header.payload.signature');
      expect(JSON.parse(out.trim().split('\n').at(-1) ?? '')).toBe('header.payload.signature');
      expect(requests).toHaveLength(1);
      expect(requests[0]?.url).toBe('/token?api-version=2.0&audience=sts.example');
      expect(requests[0]?.headers.authorization).toBe('Bearer request-token');
    });
  });
});
