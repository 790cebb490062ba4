import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, createReadStream } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../helpers/run-action.js';

export interface ArtifactSeed {
  model_name: string;
  run_id: string;
  run2_id: string;
  experiment_id: string;
  logged_model_id: string;
  logged_model_artifact_uri: string;
  run2_artifact_uri: string;
  versions: { logged_model: string; run_artifacts: string; run_logged_model: string };
}

/**
 * A model directory as flavors write one: MLmodel and environment files at the top, nested
 * folders, many small files (a tokenizer's), an empty file, names with spaces and accents, and one
 * large file of random bytes.
 */
export function makeModelFiles(dir: string, opts: { bigBytes: number; smallFiles: number }): void {
  const write = (rel: string, data: Buffer | string) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), data);
  };
  write('MLmodel', 'artifact_path: model\nflavors:\n  python_function:\n    loader_module: mlflow.pyfunc.model\n');
  write('conda.yaml', 'dependencies:\n- python=3.11\n- pip:\n  - mlflow\n');
  write('requirements.txt', 'mlflow==3.17.2\nscikit-learn\n');
  write('python_env.yaml', 'python: 3.11\n');
  write('empty.txt', '');
  write('notes été – v3.txt', 'un modèle\n');
  write('data/model.pkl', randomBytes(300 * 1024));
  write('data/nested/deeper/weights.bin', randomBytes(opts.bigBytes));
  for (let i = 0; i < opts.smallFiles; i++)
    write(
      `tokenizer/vocab/part-${String(i).padStart(4, '0')}.json`,
      JSON.stringify({ i, r: randomBytes(64).toString('hex') }),
    );
}

/** Relative path -> SHA-256 of every file under dir. */
export async function treeDigest(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out[relative(dir, p).split('\\').join('/')] = await sha256(p);
    }
  };
  await walk(dir);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Total size of every file under dir. */
export function treeBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) n += statSync(join(e.parentPath, e.name)).size;
  }
  return n;
}

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (c) => h.update(c))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

function python(py: string, args: string[], env: Record<string, string | undefined>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      py,
      args,
      { env: { ...process.env, MLFLOW_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: 'true', ...env }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${args.slice(0, 3).join(' ')} failed: ${stderr.split('\n').slice(-15).join('\n')}`));
        else resolve(stdout);
      },
    );
  });
}

type Creds = { username: string; password: string } | undefined;
const credEnv = (c: Creds) => (c ? { MLFLOW_TRACKING_USERNAME: c.username, MLFLOW_TRACKING_PASSWORD: c.password } : {});

/** Logs the files with MLflow's own client (scripts/services/seed_artifacts.py). */
export async function seedArtifacts(
  py: string,
  url: string,
  files: string,
  modelName: string,
  out: string,
  creds?: Creds,
): Promise<ArtifactSeed> {
  await python(
    py,
    [
      join(repoRoot, 'scripts/services/seed_artifacts.py'),
      '--tracking-uri',
      url,
      '--files',
      files,
      '--model-name',
      modelName,
      '--out',
      out,
    ],
    credEnv(creds),
  );
  return JSON.parse(readFileSync(out, 'utf8')) as ArtifactSeed;
}

/** What `mlflow artifacts download -u URI -d DEST` writes, the reference the downloads are held to. */
export async function mlflowCliDownload(
  py: string,
  url: string,
  uri: string,
  dest: string,
  creds?: Creds,
): Promise<string> {
  const out = await python(py, ['-m', 'mlflow', 'artifacts', 'download', '-u', uri, '-d', dest], {
    MLFLOW_TRACKING_URI: url,
    ...credEnv(creds),
  });
  return out.trim().split('\n').pop()!.trim();
}
