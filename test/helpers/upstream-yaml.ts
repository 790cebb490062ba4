import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/**
 * Real files from public repositories (Helm charts, install manifests, kustomizations, Hiera
 * data, all Apache-2.0), for tests that edit what people really have. The copies live in
 * test/fixtures/upstream-yaml/, each folder with its SOURCE.md (repository, path, commit,
 * licence). Each copy is checked against the git blob id recorded in the cases file, so a test
 * edits exactly the upstream file at that commit.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CASES = join(ROOT, 'test/fixtures/upstream-yaml-cases.json');

export interface UpstreamFile {
  name: string;
  repository: string;
  path: string;
  commit: string;
  blob: string;
  licence: string;
  file: string;
}

export interface Expected {
  lines: { line: number; to: string }[];
  insert: { after: number; text: string }[];
}

export interface ImageCase {
  name: string;
  image: string;
  tag: string;
  digest: string;
  expect: Expected;
  digestForms?: ('digest-key' | 'tag-line')[];
}

export interface HieraCase {
  name: string;
  set: { key?: string; path?: string[]; value: string; type?: 'string' | 'auto' | 'integer' | 'boolean' }[];
  expect?: Expected;
  refuse?: { code: string; line: number; match?: string };
  warnings?: { line: number; match: string }[];
}

export interface UpstreamCases {
  files: UpstreamFile[];
  cases: ImageCase[];
  hiera: HieraCase[];
}

export function loadUpstreamCases(): UpstreamCases {
  return JSON.parse(readFileSync(CASES, 'utf8')) as UpstreamCases;
}

/** The folder holding the copies. */
export function upstreamDir(): string {
  return join(ROOT, 'test/fixtures/upstream-yaml');
}

function gitBlobId(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** The copy's text, after checking that it is byte for byte the upstream blob. */
export function readUpstream(f: UpstreamFile): string {
  const bytes = readFileSync(join(upstreamDir(), f.name, f.file));
  const id = gitBlobId(bytes);
  if (id !== f.blob)
    throw new Error(`${f.name}/${f.file} is not ${f.repository}:${f.path} at ${f.commit} (blob ${id}, want ${f.blob})`);
  return bytes.toString('utf8');
}

/** The original with the expected whole-line replacements and insertions (line numbers of the original). */
export function applyExpected(original: string, e: Expected): string {
  const lines = original.split('\n');
  for (const { line, to } of e.lines) {
    if (line < 1 || line > lines.length) throw new Error(`expected line ${line} is outside the file`);
    lines[line - 1] = to;
  }
  for (const { after, text } of [...e.insert].sort((a, b) => b.after - a.after)) lines.splice(after, 0, text);
  return lines.join('\n');
}

/** What a YAML reader makes of every document; duplicate keys are allowed (the last wins, as in Puppet and Helm). */
export function readAs(text: string, version: '1.1' | '1.2'): unknown[] {
  return parseAllDocuments(text, { version, uniqueKeys: false }).map((d) => d.toJS({ maxAliasCount: -1 }) as unknown);
}
