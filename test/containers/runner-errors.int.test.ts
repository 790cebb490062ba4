import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '@mlflow-actions/action-kit/log';
import { startContainer, startProcess } from '@mlflow-actions/service-runner';

const container = {
  port: 8000,
  env: [],
  volumes: [],
  addHosts: [],
  label: `mlflow-actions.test=${process.pid}`,
  cwd: process.cwd(),
  logger: silentLogger,
};

describe('service-runner errors are one line', () => {
  it('an image neither local nor pullable', async () => {
    await expect(startContainer({ ...container, image: 'localhost/no-such-image:1' })).rejects.toThrow(
      /^image: localhost\/no-such-image:1 is not on this runner and cannot be pulled \(.+\); build it/,
    );
  });

  it('no docker CLI on the runner', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(startContainer({ ...container, image: 'x' })).rejects.toThrow(
        /^image: the docker CLI is not on this runner/,
      );
    } finally {
      process.env.PATH = path;
    }
  });

  it('a port already taken in command mode', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    try {
      await expect(
        startProcess({
          command: 'true',
          port,
          env: process.env,
          cwd: process.cwd(),
          logDir: '/tmp',
          pidFile: '/tmp/never-written.pid',
          logger: silentLogger,
        }),
      ).rejects.toThrow(`port: 127.0.0.1:${port} is already taken by another process`);
    } finally {
      srv.close();
    }
  });
});
