// Diagnostics for bench/s3-publish, not part of the action: requests signed with the SDK's own
// SigV4 signer but sent with node:http directly, without the SDK client's per-request middleware
// pipeline. No retries, no error handling beyond the status code: floors to compare with, not a
// client.
//   node raw-s3.mjs put <dir> <bucket> <key-prefix> <endpoint>
//     the same small-file PUTs as s3-publish sends (SHA-256 checksum header, unsigned payload,
//     16 at a time, keep-alive): what the SDK's pipeline costs per PUT on this machine;
//   node raw-s3.mjs list <bucket> <key-prefix> <endpoint>
//     lists the prefix (ListObjectsV2 pages of 1,000 keys), nothing else: the least any client
//     that compares with what is stored must do, in a process of its own.
// Credentials from the AWS_* variables.
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join, relative } from 'node:path';

const mode = process.argv[2];
const [dir, bucket, prefix, endpoint] = mode === 'list' ? [undefined, ...process.argv.slice(3)] : process.argv.slice(3);
const url = new URL(endpoint);
if (url.protocol !== 'http:') throw new Error('raw-put.mjs speaks plain http only (the local bench server)');
class Sha256 {
  constructor(secret) {
    this.h = secret ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(d) {
    this.h.update(d);
  }
  async digest() {
    return this.h.digest();
  }
}
const signer = new SignatureV4({
  service: 's3',
  region: process.env.AWS_REGION || 'us-east-1',
  sha256: Sha256,
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY },
  uriEscapePath: false,
  applyChecksum: false,
});
const agent = new Agent({ keepAlive: true, maxSockets: 24 });
function send(method, path, query, headers, body) {
  const qs = new URLSearchParams(query).toString();
  return signer
    .sign({ method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, query, headers })
    .then(
      (signed) =>
        new Promise((resolve, reject) => {
          const req = request(
            {
              agent,
              method,
              host: url.hostname,
              port: url.port,
              path: qs ? `${path}?${qs}` : path,
              headers: signed.headers,
            },
            (res) => {
              const chunks = [];
              res.on('data', (c) => chunks.push(c));
              res.on('end', () =>
                res.statusCode === 200
                  ? resolve(Buffer.concat(chunks).toString('utf8'))
                  : reject(new Error(`${method} ${path}: HTTP ${res.statusCode}`)),
              );
            },
          );
          req.on('error', reject);
          req.end(body);
        }),
    );
}

if (mode === 'list') {
  let keys = 0;
  let token;
  do {
    const query = { 'list-type': '2', prefix: `${prefix}/` };
    if (token) query['continuation-token'] = token;
    const page = await send('GET', `/${bucket}`, query, { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' });
    keys += (page.match(/<Key>/g) ?? []).length;
    token = /<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(page)?.[1];
  } while (token);
  console.log(`${keys} keys`);
} else {
  const files = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else files.push(join(d, e.name));
    }
  };
  walk(dir);
  let next = 0;
  const put = (file) => {
    const body = readFileSync(file);
    return send(
      'PUT',
      `/${bucket}/${prefix}/${relative(dir, file)}`,
      {},
      {
        host: url.host,
        'content-type': 'application/octet-stream',
        'cache-control': 'public, max-age=300',
        'content-length': String(body.length),
        'x-amz-checksum-sha256': createHash('sha256').update(body).digest('base64'),
        'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      },
      body,
    );
  };
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < files.length) await put(files[next++]);
    }),
  );
  console.log(`${files.length} PUTs`);
}
agent.destroy();
