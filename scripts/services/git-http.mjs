// A real smart-HTTP git server for tests and the demo (types: git-http.d.mts).
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A real smart-HTTP git server for tests and the demo: node:http in front of `git http-backend` (CGI), with
 * GitHub-like authentication (Basic, user x-access-token) and a GitHub-like protected branch.
 *
 * - `token` may fetch and push; `readOnlyToken` may fetch, and gets 403 on git-receive-pack
 *   (as GitHub answers a token without contents: write).
 * - No or unknown credentials get 401 with a Basic challenge.
 * - In every repository a pre-receive hook refuses pushes to `protected` with GitHub's GH006 text.
 */
const run = promisify(execFile);

const PRE_RECEIVE = `#!/bin/sh
# Stands in for GitHub branch protection: refuse any update of refs/heads/protected.
while read old new ref; do
  if [ "$ref" = "refs/heads/protected" ]; then
    echo "error: GH006: Protected branch update failed for $ref." >&2
    echo "error: Changes must be made through a pull request." >&2
    exit 1
  fi
done
exit 0
`;

/** Our own environment minus anything that would point git elsewhere. */
function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
  return env;
}

/**
 * @param {import('./git-http.d.mts').GitServerOptions} [options]
 * @returns {Promise<import('./git-http.d.mts').GitServer>}
 */
export async function startGitServer(options = {}) {
  const host = options.host ?? '127.0.0.1';
  const root = await mkdtemp(join(tmpdir(), 'git-http-root-'));
  const token = `ghs_test${Math.random().toString(36).slice(2)}RW`;
  const readOnlyToken = `ghs_test${Math.random().toString(36).slice(2)}RO`;
  let receivePacks = 0;
  /** Every request as it arrived, with its Authorization header (the token-scoping tests read them). */
  const requests = [];
  /** repository name -> base URL its requests are redirected to */
  const redirects = new Map();
  const baseEnv = cleanEnv();
  const gitEnv = {
    ...baseEnv,
    GIT_AUTHOR_NAME: 'Seed',
    GIT_AUTHOR_EMAIL: 'seed@example.com',
    GIT_COMMITTER_NAME: 'Seed',
    GIT_COMMITTER_EMAIL: 'seed@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
    LC_ALL: 'C',
  };
  const git = async (args, cwd) => (await run('git', args, { cwd, env: gitEnv, maxBuffer: 64 * 1024 * 1024 })).stdout;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(e));
    });
  });

  async function handle(req, res) {
    const u = new URL(req.url ?? '/', 'http://localhost');
    requests.push({
      method: req.method ?? 'GET',
      path: u.pathname + u.search,
      authorization: req.headers.authorization,
    });
    const redirected = /^\/((?:[^/]+\/)?[^/]+?)\.git(\/.*)$/.exec(u.pathname);
    if (redirected && redirects.has(redirected[1])) {
      res.writeHead(301, { Location: `${redirects.get(redirected[1])}${redirected[2]}${u.search}` });
      res.end();
      req.resume();
      return;
    }
    const isPush = u.searchParams.get('service') === 'git-receive-pack' || u.pathname.endsWith('/git-receive-pack');
    const auth = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    const [user, pass] = auth ? Buffer.from(auth[1], 'base64').toString('utf8').split(/:(.*)/s) : [];
    const anonymousRead = options.anonymousRead && !isPush && !auth;
    if (!anonymousRead && (user !== 'x-access-token' || (pass !== token && pass !== readOnlyToken))) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="GitHub"', 'Content-Type': 'text/plain' });
      res.end('Invalid username or token.\n');
      req.resume();
      return;
    }
    const repo = /^\/((?:[^/]+\/)?[^/]+\.git)\//.exec(u.pathname)?.[1]; // name.git or owner/name.git
    if (!repo || !existsSync(join(root, repo))) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Repository not found.\n');
      req.resume();
      return;
    }
    if (isPush && pass === readOnlyToken) {
      res.writeHead(403, { 'Content-Type': 'text/plain' });
      res.end(`Permission to ${repo} denied to github-actions[bot].\n`);
      req.resume();
      return;
    }
    if (isPush && req.method === 'POST') receivePacks++;

    const env = {
      ...baseEnv,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: decodeURIComponent(u.pathname),
      REQUEST_METHOD: req.method ?? 'GET',
      QUERY_STRING: u.search.replace(/^\?/, ''),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_USER: user ?? 'anonymous',
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      GIT_HTTP_MAX_REQUEST_BUFFER: '100M',
    };
    if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
    // git gzips large request bodies; http-backend inflates them only when told.
    if (req.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = req.headers['content-encoding'];
    if (req.headers['git-protocol']) env.HTTP_GIT_PROTOCOL = String(req.headers['git-protocol']);

    const cgi = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    req.pipe(cgi.stdin);
    cgi.stdin.on('error', () => {});
    let stderr = '';
    cgi.stderr.on('data', (b) => (stderr += b.toString()));

    await new Promise((resolve, reject) => {
      let head = Buffer.alloc(0);
      let started = false;
      cgi.stdout.on('data', (chunk) => {
        if (started) {
          res.write(chunk);
          return;
        }
        head = Buffer.concat([head, chunk]);
        // CGI headers end at the first blank line (http-backend writes CRLF, tolerate LF).
        const crlf = head.indexOf('\r\n\r\n');
        const lf = head.indexOf('\n\n');
        const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf : lf;
        if (end < 0) return;
        const sepLen = end === crlf ? 4 : 2;
        let status = 200;
        const headers = {};
        for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
          const m = /^([^:]+):\s*(.*)$/.exec(line);
          if (!m) continue;
          if (m[1].toLowerCase() === 'status') status = Number.parseInt(m[2], 10);
          else headers[m[1]] = m[2];
        }
        res.writeHead(status, headers);
        started = true;
        const rest = head.subarray(end + sepLen);
        if (rest.length) res.write(rest);
      });
      cgi.on('error', reject);
      cgi.on('close', (code) => {
        if (!started) {
          res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end(`http-backend exited ${code}: ${stderr}`);
        } else {
          res.end();
        }
        resolve();
      });
    });
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${server.address().port}`;
  const gitDir = (name) => join(root, `${name.replace(/\.git$/, '')}.git`);

  return {
    url,
    token,
    readOnlyToken,
    root,
    repoUrl: (name) => `${url}/${name.replace(/\.git$/, '')}.git`,
    async createRepo(name, files, branch = 'main') {
      const bare = gitDir(name);
      if (!existsSync(bare)) {
        await git(['init', '-q', '--bare', `--initial-branch=${branch}`, bare]);
        await git(['config', 'http.receivepack', 'true'], bare);
        await writeFile(join(bare, 'hooks', 'pre-receive'), PRE_RECEIVE);
        await chmod(join(bare, 'hooks', 'pre-receive'), 0o755);
      }
      // Seed through a scratch repo fetched into the bare one: a fetch runs no pre-receive hook,
      // so the protected branch can be seeded too.
      const work = await mkdtemp(join(tmpdir(), 'git-http-seed-'));
      try {
        await git(['init', '-q', `--initial-branch=${branch}`], work);
        for (const [path, content] of Object.entries(files)) {
          await mkdir(dirname(join(work, path)), { recursive: true });
          await writeFile(join(work, path), content);
        }
        await git(['add', '-A'], work);
        await git(['commit', '-q', '--allow-empty', '-m', `seed ${branch}`], work);
        await git(['fetch', '-q', work, `+refs/heads/${branch}:refs/heads/${branch}`], bare);
      } finally {
        await rm(work, { recursive: true, force: true });
      }
      return `${url}/${name.replace(/\.git$/, '')}.git`;
    },
    readFile: (repo, branch, path) => git(['show', `refs/heads/${branch}:${path}`], gitDir(repo)),
    async log(repo, branch) {
      const out = await git(
        ['log', '--format=%H%x1f%an%x1f%ae%x1f%cn%x1f%ce%x1f%s', `refs/heads/${branch}`],
        gitDir(repo),
      );
      return out
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [sha, authorName, authorEmail, committerName, committerEmail, subject] = line.split('\x1f');
          return { sha, authorName, authorEmail, committerName, committerEmail, subject };
        });
    },
    git: (repo, args) => git(args, gitDir(repo)),
    receivePackRequests: () => receivePacks,
    requests: () => requests.map((r) => ({ ...r })),
    redirect(name, toBaseUrl) {
      redirects.set(name.replace(/\.git$/, ''), toBaseUrl.replace(/\/+$/, ''));
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}
