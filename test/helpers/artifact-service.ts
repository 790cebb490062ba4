import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import {
  BlobSASPermissions,
  BlobServiceClient,
  SASProtocol,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob';
// The messages @actions/artifact's Twirp client is generated from (not exported by the package,
// so imported by path): the double parses every request with them, which rejects unknown fields
// and wrong types as the real service's generated server would, and answers through them.
import {
  CreateArtifactRequest,
  CreateArtifactResponse,
  FinalizeArtifactRequest,
  FinalizeArtifactResponse,
  ListArtifactsRequest,
  ListArtifactsResponse,
} from '../../node_modules/@actions/artifact/lib/generated/index.js';
import { freePort } from '../../scripts/services/mlflow.mjs';
import { repoRoot } from './run-action.js';

// Azurite's documented development account (the same one in every Azure SDK's emulator docs).
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const SERVICE = 'github.actions.results.api.v1.ArtifactService';

export interface Azurite {
  blobUrl: string;
  service: BlobServiceClient;
  stop(): void;
}

/** Azurite's blob service as a real process on a loopback port, data in memory. */
export async function startAzurite(): Promise<Azurite> {
  const port = await freePort();
  const workspace = mkdtempSync(join(tmpdir(), 'azurite-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(repoRoot, 'node_modules/azurite/dist/src/blob/main.js'),
      ...['--blobHost', '127.0.0.1', '--blobPort', String(port)],
      '--inMemoryPersistence',
      '--silent',
      '--disableTelemetry',
      // The SDK @actions/artifact bundles may speak a newer API version than this Azurite knows.
      '--skipApiVersionCheck',
    ],
    // In memory, so nothing is written; the cwd is a scratch directory all the same.
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: workspace },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const blobUrl = `http://127.0.0.1:${port}/${ACCOUNT}`;
  const service = new BlobServiceClient(blobUrl, new StorageSharedKeyCredential(ACCOUNT, ACCOUNT_KEY));
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(workspace, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) {
      stop();
      throw new Error(`azurite exited with ${child.exitCode}: ${stderr}`);
    }
    try {
      await service.getProperties();
      return { blobUrl, service, stop };
    } catch {
      if (i > 100) {
        stop();
        throw new Error(`azurite did not answer on ${blobUrl}: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export interface StoredArtifact {
  id: number;
  name: string;
  runId: string;
  jobId: string;
  size: number;
  hash?: string;
  blobName: string;
  finalized: boolean;
}

/** A Twirp error the double answers with instead of doing the call. */
export type Injected = { status: number; code: string; msg: string } | 'drop';

export interface ArtifactService {
  url: string;
  /** ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL for a job of this run. */
  env: Record<string, string>;
  artifacts: StoredArtifact[];
  calls: string[];
  /** Reads an upload back from Azurite. */
  readBlob(a: StoredArtifact): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * The results service's artifact API as @actions/artifact 6 speaks it (Twirp, JSON): the client
 * creates an artifact, gets a signed blob URL, uploads the zip to it with the Azure SDK, then
 * finalizes with size and SHA-256. Blobs land in Azurite; the double checks the bearer token it
 * issued, that the backend ids in each request are the token's, and, on finalize, that the size
 * reported is the size stored.
 */
export async function startArtifactService(
  azurite: Azurite,
  inject?: (method: string) => Injected | undefined,
): Promise<ArtifactService> {
  const runId = randomUUID();
  const jobId = randomUUID();
  const signingKey = randomUUID();
  const token = jwt({ scp: `Actions.ExampleScope Actions.Results:${runId}:${jobId}` }, signingKey);
  const container = azurite.service.getContainerClient(`results-${runId}`);
  await container.create();
  const artifacts: StoredArtifact[] = [];
  const calls: string[] = [];

  const handlers: Record<string, (body: unknown) => Promise<unknown>> = {
    CreateArtifact: async (body) => {
      const req = CreateArtifactRequest.fromJson(body as never);
      checkIds(req);
      if (req.version !== 7) throw twirp(400, 'invalid_argument', `unsupported artifact version ${req.version}`);
      if (artifacts.some((a) => a.name === req.name && a.finalized))
        throw twirp(409, 'already_exists', 'an artifact with this name already exists on the workflow run');
      const blobName = `${req.workflowJobRunBackendId}/${req.name}.zip`;
      artifacts.push({ id: artifacts.length + 1, name: req.name, runId, jobId, size: 0, blobName, finalized: false });
      const sas = generateBlobSASQueryParameters(
        {
          containerName: container.containerName,
          blobName,
          permissions: BlobSASPermissions.parse('cw'),
          expiresOn: new Date(Date.now() + 3600_000),
          protocol: SASProtocol.HttpsAndHttp,
        },
        new StorageSharedKeyCredential(ACCOUNT, ACCOUNT_KEY),
      ).toString();
      const signedUploadUrl = `${container.getBlockBlobClient(blobName).url}?${sas}`;
      return CreateArtifactResponse.toJson({ ok: true, signedUploadUrl });
    },
    FinalizeArtifact: async (body) => {
      const req = FinalizeArtifactRequest.fromJson(body as never);
      checkIds(req);
      const a = artifacts.find((x) => x.name === req.name && !x.finalized);
      if (!a) throw twirp(404, 'not_found', `no artifact ${req.name} awaiting finalization`);
      const props = await container.getBlockBlobClient(a.blobName).getProperties();
      if (String(props.contentLength) !== req.size) {
        throw twirp(
          400,
          'invalid_argument',
          `size ${req.size} does not match the uploaded blob (${props.contentLength})`,
        );
      }
      Object.assign(a, { size: Number(req.size), hash: req.hash?.value, finalized: true });
      return FinalizeArtifactResponse.toJson({ ok: true, artifactId: String(a.id) });
    },
    ListArtifacts: async (body) => {
      const req = ListArtifactsRequest.fromJson(body as never);
      checkIds(req, false);
      const list = artifacts.filter((a) => a.finalized && (!req.nameFilter || a.name === req.nameFilter.value));
      return ListArtifactsResponse.toJson({
        artifacts: list.map((a) => ({
          workflowRunBackendId: a.runId,
          workflowJobRunBackendId: a.jobId,
          databaseId: String(a.id),
          name: a.name,
          size: String(a.size),
        })),
      });
    },
  };

  function checkIds(req: { workflowRunBackendId: string; workflowJobRunBackendId: string }, job = true): void {
    if (req.workflowRunBackendId !== runId || (job && req.workflowJobRunBackendId !== jobId)) {
      throw twirp(403, 'permission_denied', 'backend ids do not match the token');
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void answer());
    const answer = async () => {
      const method = new URL(req.url ?? '/', 'http://x').pathname.replace(`/twirp/${SERVICE}/`, '');
      calls.push(method);
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const injected = inject?.(method);
      if (injected === 'drop') return req.socket.destroy();
      if (injected) {
        reply(injected.status, { code: injected.code, msg: injected.msg });
        return;
      }
      if (req.method !== 'POST' || !handlers[method]) {
        reply(404, { code: 'bad_route', msg: `no handler for ${req.url}` });
        return;
      }
      if (req.headers.authorization !== `Bearer ${token}`) {
        reply(401, { code: 'unauthenticated', msg: 'bad token' });
        return;
      }
      try {
        reply(200, await handlers[method](JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      } catch (e) {
        const t = e as Partial<TwirpError> & Error;
        reply(t.status ?? 400, { code: t.code ?? 'malformed', msg: t.message });
      }
    };
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    env: { ACTIONS_RUNTIME_TOKEN: token, ACTIONS_RESULTS_URL: url },
    artifacts,
    calls,
    readBlob: async (a) => container.getBlockBlobClient(a.blobName).downloadToBuffer(),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

interface TwirpError extends Error {
  status: number;
  code: string;
}

function twirp(status: number, code: string, msg: string): TwirpError {
  return Object.assign(new Error(msg), { status, code });
}

function jwt(payload: object, key: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${b64({ typ: 'JWT', alg: 'HS256' })}.${b64({ ...payload, exp: Math.floor(Date.now() / 1000) + 3600 })}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

/** The entries of a zip (as @actions/artifact writes it: stored or deflated, no zip64). */
export function readZip(zip: Buffer): Map<string, Buffer> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip: no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataAt, dataAt + compressed);
    if (!name.endsWith('/')) out.set(name, method === 8 ? inflateRawSync(raw) : Buffer.from(raw));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}
