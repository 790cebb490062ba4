// Headless Chromium (Debian's, driven by playwright-core) and a static file server for the viewer's
// tests, the e2e test and the benchmark.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const repoRoot = resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = join(repoRoot, '.test-output', 'viewer');

/** Installs Chromium if it is missing (scripts/services/chromium.sh); throws a clear error if it can't. */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  try {
    execFileSync('bash', [join(repoRoot, 'scripts/services/chromium.sh')], {
      stdio: ['ignore', 'inherit', 'inherit'],
      timeout: 900_000,
    });
  } catch (e) {
    throw new Error(
      `Chromium is needed for the viewer's browser tests and could not be installed by scripts/services/chromium.sh: ` +
        (e as Error).message,
      { cause: e },
    );
  }
  if (!existsSync(CHROMIUM)) throw new Error(`scripts/services/chromium.sh ran but ${CHROMIUM} is missing`);
}

export async function launchChromium(): Promise<Browser> {
  ensureChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

export interface StaticServer {
  url: string;
  /** Every path requested, in order: the page must ask for nothing but its own files. */
  requests: string[];
  close(): Promise<void>;
}

/** Serves `dir` on 127.0.0.1 like a plain static host (S3 website, nginx): no rewriting, no headers. */
export async function serveDir(dir: string): Promise<StaticServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, requests, close: () => new Promise((r) => server.close(() => r())) };
}

export interface PageWatch {
  dialogs: string[];
  errors: string[];
  /** Console messages, including CSP violation reports. */
  console: string[];
  /** Requests to anything but the page's own origin (file:// or the static server). */
  foreign: string[];
}

/** Opens a page that records dialogs, page errors, console messages and foreign requests. */
export async function openPage(
  browser: Browser,
  url: string,
  opts: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {},
): Promise<{ page: Page; watch: PageWatch }> {
  const context = await browser.newContext({
    colorScheme: opts.colorScheme ?? 'light',
    viewport: opts.viewport ?? { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  const watch: PageWatch = { dialogs: [], errors: [], console: [], foreign: [] };
  const origin = url.startsWith('file:') ? 'file:' : new URL(url).origin;
  page.on('dialog', (d) => {
    watch.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => watch.errors.push(e.message));
  page.on('console', (m) => watch.console.push(`${m.type()}: ${m.text()}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!(origin === 'file:' ? u.startsWith('file:') : u.startsWith(origin + '/')) && !u.startsWith('data:'))
      watch.foreign.push(u);
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('html[data-ready="true"]', { timeout: 15_000 });
  return { page, watch };
}

export function fileUrl(dir: string): string {
  return `file://${join(dir, 'index.html')}`;
}
