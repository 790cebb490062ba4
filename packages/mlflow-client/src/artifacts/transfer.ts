import { createWriteStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ServiceError } from '@mlflow-actions/action-kit/errors';
import { describeNetworkFailure, isRetryableNetworkError } from '@mlflow-actions/action-kit/http';
import type { Logger } from '@mlflow-actions/action-kit/log';
import type { DownloadOptions } from './download.js';
import type { ArtifactFile } from './store.js';

/**
 * Files of at least 4 parts go in parts, several at once: one stream through MLflow's server is
 * bound by the one worker serving it (about 70 MB/s here), and S3 serves ranges in parallel.
 */
export const DEFAULT_PART_BYTES = 16 << 20;

/** One unit of work: a whole file, or one byte range of a large one. */
interface Item {
  file: ArtifactFile;
  target: string;
  range?: { start: number; end: number; first: boolean };
}

class SizeMismatch extends Error {}

/**
 * Downloads every file into `temp` (whose directories exist), `concurrency` transfers at a time;
 * the first failure stops the others, whose streams are destroyed. Returns each file's size.
 */
export async function transferAll(
  files: ArtifactFile[],
  temp: string,
  opts: DownloadOptions,
  log: Logger,
): Promise<number[]> {
  const items: Item[] = [];
  const partBytes = opts.partBytes ?? DEFAULT_PART_BYTES;
  for (const file of files) {
    const target = join(temp, file.path);
    if (file.size === undefined || file.size < 4 * partBytes) {
      items.push({ file, target });
      continue;
    }
    await writeFile(target, ''); // parts write into it at their offsets
    for (let start = 0; start < file.size; start += partBytes) {
      items.push({
        file,
        target,
        range: { start, end: Math.min(file.size, start + partBytes) - 1, first: start === 0 },
      });
    }
  }
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  let next = 0;
  let failure: { error: unknown } | undefined; // boxed: whatever was thrown, even undefined
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal.aborted) {
      const item = items[next++]!;
      try {
        await transferItem(item, opts, signal, log);
      } catch (e) {
        failure ??= { error: e };
        stop.abort(e);
      }
    }
  };
  const limit = Math.max(1, Math.min(opts.concurrency ?? 8, items.length));
  await Promise.all(Array.from({ length: limit }, worker));
  if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('download aborted');
  if (failure) throw failure.error;
  const sizes: number[] = [];
  for (const f of files) {
    const got = (await stat(join(temp, f.path))).size;
    if (f.size !== undefined && got !== f.size) {
      throw new ServiceError(
        `${f.path} from ${opts.store.uri}: received ${got} bytes where the listing says ${f.size}`,
      );
    }
    sizes.push(got);
  }
  return sizes;
}

/** One transfer, streamed to disk; one cut short (reset, timeout, short body) starts over. */
async function transferItem(item: Item, opts: DownloadOptions, signal: AbortSignal, log: Logger): Promise<void> {
  const { file, range } = item;
  const what = range ? `${file.path} (bytes ${range.start}-${range.end})` : file.path;
  for (let attempt = 1; ; attempt++) {
    signal.throwIfAborted();
    try {
      const res = await untilAborted(opts.store.open(file, signal, range), signal, (late) => late.body.destroy());
      if (range && !res.ranged) {
        // The server ignored the range and sent the whole file: the first part takes it all, the
        // other parts have nothing to do.
        if (!range.first) {
          res.body.destroy();
          return;
        }
        await write(res.body, item.target, { at: 0 }, file.size, signal);
      } else if (range) {
        await write(res.body, item.target, { at: range.start }, range.end - range.start + 1, signal);
      } else {
        await write(res.body, item.target, 'whole', file.size, signal);
      }
      log.debug(`${what}: done${attempt > 1 ? ` after ${attempt} attempts` : ''}`);
      return;
    } catch (e) {
      if (signal.aborted) throw signal.reason ?? e;
      const why =
        e instanceof SizeMismatch
          ? `${what}: ${e.message}`
          : isRetryableNetworkError(e)
            ? describeNetworkFailure(e as Error, opts.retry.timeoutMs)
            : undefined;
      if (why === undefined) throw e;
      if (attempt > opts.retry.maxRetries) {
        throw new ServiceError(
          `could not download ${file.path} from ${opts.store.uri}: ${why} (gave up after ${attempt} attempts)`,
        );
      }
      await untilAborted(opts.retry.wait(attempt, `${why} while reading ${what}`), signal);
    }
  }
}

/**
 * Streams a body into the file, checking that exactly `expected` bytes came (when known): a whole
 * file is written anew on each attempt; a part overwrites its own range of the file only.
 */
async function write(
  body: NodeJS.ReadableStream,
  target: string,
  where: 'whole' | { at: number },
  expected: number | undefined,
  signal: AbortSignal,
): Promise<void> {
  let got = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      got += chunk.length;
      done(null, chunk);
    },
  });
  const out =
    where === 'whole' ? createWriteStream(target) : createWriteStream(target, { flags: 'r+', start: where.at });
  await pipeline(body, count, out, { signal });
  if (expected !== undefined && got !== expected)
    throw new SizeMismatch(`received ${got} bytes where ${expected} were expected`);
}

/** Rejects as soon as `signal` aborts; a value that arrives later is handed to `late` (to release it). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal, late?: (v: T) => void): Promise<T> {
  const release = () =>
    p.then(
      (v) => late?.(v),
      () => undefined,
    );
  if (signal.aborted) {
    void release();
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      void release();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) late?.(v);
        else resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
