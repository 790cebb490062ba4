import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the S3 server for fault tests. It can reset connections part-way
 * through a request body (as a flaky network or load balancer would) and throttle bandwidth so
 * a child process can be killed while it is still uploading.
 */
export interface ProxyOptions {
  target: { host: string; port: number };
  /** Reset this many connections in total (the first ones that carry enough bytes). */
  resets?: number;
  /** Reset a connection after this many bytes came from the client. */
  resetAfterBytes?: number;
  /** Client-to-server bandwidth limit, bytes per second. */
  bytesPerSecond?: number;
}

export interface Proxy {
  endpoint: string;
  stats: { connections: number; resets: number; bytesIn: number; active: number };
  close(): Promise<void>;
}

export async function startProxy(o: ProxyOptions): Promise<Proxy> {
  const stats = { connections: 0, resets: 0, bytesIn: 0, active: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    stats.connections++;
    stats.active++;
    sockets.add(client);
    const upstream = connect(o.target.port, o.target.host);
    sockets.add(upstream);
    let seen = 0;
    let dead = false;
    const kill = () => {
      if (dead) return;
      dead = true;
      client.resetAndDestroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      stats.bytesIn += chunk.length;
      if (o.resets && o.resetAfterBytes !== undefined && stats.resets < o.resets && seen > o.resetAfterBytes) {
        stats.resets++;
        kill();
        return;
      }
      if (!upstream.write(chunk)) client.pause();
      if (o.bytesPerSecond) {
        client.pause();
        setTimeout(() => !dead && client.resume(), (chunk.length / o.bytesPerSecond) * 1000);
      }
    });
    upstream.on('drain', () => client.resume());
    upstream.pipe(client);
    client.on('end', () => upstream.end());
    client.on('error', kill);
    upstream.on('error', kill);
    client.on('close', () => {
      stats.active--;
      sockets.delete(client);
      upstream.destroy();
    });
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function hostPort(endpoint: string): { host: string; port: number } {
  const u = new URL(endpoint);
  return { host: u.hostname, port: Number(u.port) };
}
