import { mkdtemp, writeFile, appendFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseListing } from '../../packages/s3-publish/src/remote.js';
import { bufferedBytes, isStreamed, partSizeFor, MIB } from '../../packages/s3-publish/src/upload.js';
import {
  BufferPool,
  hashFiles,
  readFileExact,
  readSmallFile,
  sha256Of,
  type LocalFile,
} from '../../packages/s3-publish/src/walk.js';
import { removeDir } from './helpers.js';

// The pieces of the upload path that need no server: the ListObjectsV2 page reader, the buffer
// pool and the exact-size reads, and how files are split between single PUTs, multipart uploads
// from memory and streamed multipart uploads.

const page = (contents: string, extra = '<IsTruncated>false</IsTruncated>') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
  `<Name>b</Name><Prefix>p/</Prefix>${extra}${contents}</ListBucketResult>`;
const entry = (key: string, size: number, time = '2026-11-23T15:42:14.102Z') =>
  `<Contents><Key>${key}</Key><LastModified>${time}</LastModified>` +
  `<ETag>&#34;c6f121a71bcc7e38aafdc26862a48e81&#34;</ETag><Size>${size}</Size><StorageClass>STANDARD</StorageClass></Contents>`;

describe('parseListing', () => {
  it('reads key, size and time of every entry, decoding XML entities in keys', () => {
    const xml = page(
      entry('p/a&amp;b &lt;c&gt; &quot;d&quot; &apos;e&apos;.txt', 5) +
        entry('p/caf&#233;/&#x1F600;.bin', 1234567890123) +
        entry('p/VERSION', 0),
      '<KeyCount>3</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>',
    );
    const got = parseListing(xml)!;
    expect(got.objects).toEqual([
      { key: `p/a&b <c> "d" 'e'.txt`, size: 5, lastModified: new Date('2026-11-23T15:42:14.102Z') },
      { key: 'p/café/😀.bin', size: 1234567890123, lastModified: new Date('2026-11-23T15:42:14.102Z') },
      { key: 'p/VERSION', size: 0, lastModified: new Date('2026-11-23T15:42:14.102Z') },
    ]);
    expect(got.summary).toContain('<IsTruncated>false</IsTruncated>');
    expect(got.summary).not.toContain('NextContinuationToken');
    expect(got.summary).toContain('<KeyCount>3</KeyCount>');
  });

  it('hands the SDK the continuation token as it came (still escaped)', () => {
    const got = parseListing(
      page(
        entry('p/x', 1),
        '<NextContinuationToken>b3Vy&amp;cw==</NextContinuationToken><KeyCount>1</KeyCount><IsTruncated>true</IsTruncated>',
      ),
    )!;
    expect(got.summary).toContain(
      '<IsTruncated>true</IsTruncated><NextContinuationToken>b3Vy&amp;cw==</NextContinuationToken>',
    );
  });

  it('never takes the page fields from inside an entry', () => {
    // A key that looks like page fields is escaped in real XML; even unescaped text inside an
    // entry must not be read as the page's own IsTruncated.
    const got = parseListing(page(entry('p/IsTruncated-true', 1), '<IsTruncated>false</IsTruncated>'))!;
    expect(got.summary).toContain('<IsTruncated>false</IsTruncated>');
  });

  it.each([
    ['an error document', '<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>'],
    ['no IsTruncated', page(entry('p/x', 1), '')],
    ['truncated without a token', page(entry('p/x', 1), '<IsTruncated>true</IsTruncated>')],
    ['a count that does not add up', page(entry('p/x', 1), '<KeyCount>2</KeyCount><IsTruncated>false</IsTruncated>')],
    ['an entry without a size', page('<Contents><Key>p/x</Key></Contents>')],
    ['common prefixes', page('<CommonPrefixes><Prefix>p/a/</Prefix></CommonPrefixes>')],
    ['URL-encoded keys', page(entry('p/a%20b', 1), '<EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>')],
  ])('leaves the page to the SDK when in doubt: %s', (_label, xml) => {
    expect(parseListing(xml)).toBeUndefined();
  });
});

describe('BufferPool', () => {
  it('hands back the smallest free buffer that fits, else a new one rounded up (1 MiB steps below 8 MiB, 8 MiB above)', () => {
    const pool = new BufferPool(64 * MIB);
    const a = pool.take(10 * MIB);
    expect(a.length).toBe(16 * MIB);
    const b = pool.take(20 * MIB);
    expect(b.length).toBe(24 * MIB);
    pool.give(b);
    pool.give(a);
    expect(pool.take(9 * MIB)).toBe(a);
    expect(pool.take(9 * MIB)).toBe(b);
    // Needs size + 1 bytes (the extra byte shows a file that grew).
    const c = pool.take(16 * MIB);
    expect(c.length).toBe(24 * MIB);
    expect(pool.take(2 * MIB + 5).length).toBe(3 * MIB);
    expect(pool.take(5000).length).toBe(MIB);
  });

  it('keeps at most its limit of unused buffers', () => {
    const pool = new BufferPool(5 * MIB);
    const a = pool.take(MIB);
    const b = pool.take(MIB);
    const c = pool.take(MIB);
    pool.give(a);
    pool.give(b);
    pool.give(c); // over the limit: dropped
    const again = [pool.take(MIB), pool.take(MIB)];
    expect(again.includes(a) && again.includes(b)).toBe(true);
    expect(pool.take(MIB) === c).toBe(false);
  });
});

describe('exact reads', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 's3-reads-'));
  });
  afterAll(() => removeDir(dir));

  it('read what is there, one byte past the size the walk saw, so a changed file shows', async () => {
    const path = join(dir, 'f.bin');
    await writeFile(path, Buffer.alloc(3000, 7));
    expect(readSmallFile(path, 3000).equals(Buffer.alloc(3000, 7))).toBe(true);
    expect((await readFileExact(path, 3000)).length).toBe(3000);
    const into = Buffer.alloc(8000);
    const view = await readFileExact(path, 3000, into);
    expect(view.buffer).toBe(into.buffer);
    expect(view.length).toBe(3000);
    await appendFile(path, 'more');
    expect(readSmallFile(path, 3000).length).toBe(3001);
    expect((await readFileExact(path, 3000)).length).toBe(3001);
    expect(readSmallFile(path, 5000, Buffer.alloc(8000)).length).toBe(3004);
    await expect(readFileExact(path, 3000, Buffer.alloc(3000))).rejects.toThrow(RangeError);
  });
});

describe('how files are sent', () => {
  it('read whole and sent in one PUT up to 64 MiB, streamed in parts beyond', () => {
    expect(isStreamed(8 * MIB)).toBe(false);
    expect(isStreamed(50 * MIB)).toBe(false);
    expect(isStreamed(64 * MIB)).toBe(false);
    expect(isStreamed(64 * MIB + 1)).toBe(true);
    expect(isStreamed(200 * MIB, 8 * MIB, 32 * MIB)).toBe(true);
    // Memory held: the file itself (in a pooled buffer) or the parts in flight plus one filling.
    expect(bufferedBytes(5000)).toBe(5000);
    expect(bufferedBytes(50 * MIB)).toBe(56 * MIB);
    expect(bufferedBytes(3 * MIB)).toBe(4 * MIB);
    expect(bufferedBytes(1024 * MIB)).toBe(5 * 5 * MIB);
    // No more than 10,000 parts: a 100 GB file gets larger parts.
    expect(partSizeFor(100 * 1024 * MIB)).toBeGreaterThan(11 * MIB);
    expect(Math.ceil((100 * 1024 * MIB) / partSizeFor(100 * 1024 * MIB))).toBeLessThanOrEqual(10_000);
  });
});

describe('hashing before the upload', () => {
  it('leaves a file that is gone, or has another size now, unhashed (its upload then says so) and hashes the rest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hash-files-'));
    try {
      const content = {
        'a.txt': 'alpha',
        'b.txt': 'bravo',
        'c.bin': 'x'.repeat(2 * MIB),
        'd.bin': 'y'.repeat(2 * MIB),
        'e.txt': 'echo',
      };
      for (const [name, text] of Object.entries(content)) await writeFile(join(dir, name), text);
      const files: LocalFile[] = Object.entries(content).map(([name, text]) => ({
        path: name,
        absPath: join(dir, name),
        size: Buffer.byteLength(text),
      }));
      await rm(join(dir, 'b.txt'));
      await rm(join(dir, 'd.bin'));
      await appendFile(join(dir, 'e.txt'), '!');
      await hashFiles(files, { concurrency: 4 });
      const byName = Object.fromEntries(files.map((f) => [f.path, f.sha256]));
      expect(byName).toEqual({
        'a.txt': sha256Of(Buffer.from('alpha')),
        'b.txt': undefined,
        'c.bin': sha256Of(Buffer.from(content['c.bin'])),
        'd.bin': undefined,
        'e.txt': undefined,
      });
    } finally {
      await removeDir(dir);
    }
  });
});
