import net from 'node:net';
import http from 'node:http';

export type Fault = 'reset' | '503' | 'pass';

/**
 * A TCP proxy in front of a real server that misbehaves on chosen connections: it resets the
 * connection when the request arrives, or answers 503 itself, or forwards the bytes untouched.
 * `plan(i)` decides for the i-th connection (0-based).
 */
export async function startFaultProxy(
  target: URL,
  plan: (i: number) => Fault,
): Promise<{ url: string; connections: Fault[]; close: () => Promise<void> }> {
  const connections: Fault[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const fault = plan(connections.length);
    connections.push(fault);
    if (fault === 'pass') {
      const upstream = net.connect(Number(target.port), target.hostname);
      sockets.add(upstream);
      upstream.on('error', () => client.destroy());
      client.pipe(upstream).pipe(client);
      return;
    }
    client.once('data', () => {
      if (fault === 'reset') {
        client.resetAndDestroy();
      } else {
        const body = JSON.stringify({ error_code: 'TEMPORARILY_UNAVAILABLE', message: 'injected by the fault proxy' });
        client.end(
          'HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: ' +
            `${body.length}\r\nConnection: close\r\n\r\n${body}`,
        );
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/**
 * An HTTP proxy that forwards to a real server and lets a test rewrite JSON responses, e.g. to
 * turn a READY model version into PENDING_REGISTRATION, which the real server cannot be made to
 * report on demand.
 */
export async function startRewriteProxy(
  target: URL,
  rewrite: (path: string, body: unknown) => unknown,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const up = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: target.host },
      },
      (upRes) => {
        const chunks: Buffer[] = [];
        upRes.on('data', (c: Buffer) => chunks.push(c));
        upRes.on('end', () => {
          let body = Buffer.concat(chunks);
          if (String(upRes.headers['content-type']).includes('json')) {
            body = Buffer.from(JSON.stringify(rewrite(req.url ?? '', JSON.parse(body.toString('utf8')))));
          }
          const headers = { ...upRes.headers, 'content-length': String(body.length) };
          delete headers['transfer-encoding'];
          res.writeHead(upRes.statusCode ?? 502, headers);
          res.end(body);
        });
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A server that answers every request with a fixed response (an SSO login page, say). */
export async function startStaticServer(
  status: number,
  contentType: string,
  body: string,
  extraHeaders: Record<string, string> = {},
) {
  const server = http.createServer((_req, res) => {
    res.writeHead(status, { 'content-type': contentType, ...extraHeaders });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/**
 * An HTTP proxy in front of a real server that resets the client's connection part-way through
 * chosen responses: `cutAfter(path, n)` (n counts requests for that path, from 0) returns how
 * many body bytes to pass before the reset, or undefined to pass the response whole. `cuts`
 * records each reset made. With `stall`, the connection is held open with nothing more sent
 * instead of reset (a transfer in the middle, for a test that kills the client then); `onCut` is called
 * once the cut is made, so such a test knows the transfer is under way.
 */
export async function startCuttingProxy(
  target: URL,
  cutAfter: (path: string, n: number) => number | undefined,
  opts: { stall?: boolean; onCut?: (path: string) => void } = {},
): Promise<{ url: string; cuts: string[]; requests: string[]; statuses: number[]; close: () => Promise<void> }> {
  const seen = new Map<string, number>();
  const cuts: string[] = [];
  const requests: string[] = [];
  const statuses: number[] = [];
  const server = http.createServer((req, res) => {
    const path = req.url ?? '';
    requests.push(path);
    const n = seen.get(path) ?? 0;
    seen.set(path, n + 1);
    const limit = cutAfter(path, n);
    const up = http.request(
      {
        host: target.hostname,
        port: target.port,
        path,
        method: req.method,
        headers: { ...req.headers, host: target.host },
      },
      (upRes) => {
        statuses.push(upRes.statusCode ?? 0);
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        let sent = 0;
        let cut = false;
        upRes.on('data', (chunk: Buffer) => {
          if (cut) return;
          if (limit !== undefined && sent + chunk.length > limit) {
            cut = true;
            res.write(chunk.subarray(0, Math.max(0, limit - sent)));
            cuts.push(path);
            opts.onCut?.(path);
            upRes.destroy();
            // A reset, not a clean close: what a dropped connection looks like to the client.
            if (!opts.stall) setImmediate(() => res.socket?.resetAndDestroy());
            return;
          }
          sent += chunk.length;
          res.write(chunk);
        });
        upRes.on('end', () => {
          if (!cut) res.end();
        });
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cuts,
    requests,
    statuses,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
