import { InputReader, type Env } from '@mlflow-actions/action-kit/inputs';
import { branchProblem } from '@mlflow-actions/git-writeback';
import { readWriteBackInputs, writeBackSecrets, type WriteBackInputs } from '@mlflow-actions/writeback-action/inputs';
import { digestProblem, nameProblem, tagProblem, tryParseReference } from '@mlflow-actions/image-ref/reference';
import { parsePath, type PathSegment } from '@mlflow-actions/yaml-edit/key-path';

export type Format = 'auto' | 'kubernetes' | 'helm' | 'kustomize';

export interface Inputs extends WriteBackInputs {
  files: string[];
  image: string;
  tag: string | undefined;
  digest: string | undefined;
  promoteFromBranch: string | undefined;
  format: Format;
  helmKeys: PathSegment[][];
}

export const secretsOf = writeBackSecrets;

/** Every input checked before git or the network is touched; all problems reported at once. */
export function parseInputs(env: Env): Inputs {
  const r = new InputReader(env);
  const common = readWriteBackInputs(r, env);
  const files = r.list('files');
  if (files.length === 0)
    r.problem(
      `input 'files' is required: globs of the files to update, e.g. apps/model-server/overlays/staging/*.yaml`,
    );
  for (const f of files) {
    if (f.startsWith('/') || f.split('/').includes('..'))
      r.problem(`input 'files' must hold paths inside the repository, got '${f}'`);
  }

  const image = r.required('image', 'the image repository without tag, e.g. ghcr.io/acme/model-server');
  if (image) {
    const parsed = tryParseReference(image);
    if (typeof parsed !== 'string' && (parsed.tag !== undefined || parsed.digest !== undefined)) {
      const extra = [
        parsed.tag !== undefined ? `tag: ${parsed.tag}` : '',
        parsed.digest !== undefined ? `digest: ${parsed.digest}` : '',
      ]
        .filter(Boolean)
        .join(' and ');
      r.problem(`input 'image' must be the repository alone, got '${image}': use image: ${parsed.name} with ${extra}`);
    } else {
      const p = nameProblem(image);
      if (p) r.problem(`input 'image' is not an image repository ('${image}': ${p})`);
    }
  }

  const tag = r.optional('tag');
  const digest = r.optional('digest');
  const promoteFromBranch = r.optional('promote-from-branch');
  if (tag !== undefined) {
    const p = tagProblem(tag);
    if (p) r.problem(`input 'tag' is not a valid image tag ('${tag}': ${p})`);
  }
  if (digest !== undefined) {
    const p = digestProblem(digest);
    if (p) r.problem(`input 'digest' is not a valid digest ('${digest}': ${p})`);
  }
  if (promoteFromBranch !== undefined) {
    if (tag !== undefined || digest !== undefined) {
      r.problem(
        `input 'promote-from-branch' conflicts with ${[
          tag !== undefined ? "'tag'" : '',
          digest !== undefined ? "'digest'" : '',
        ]
          .filter(Boolean)
          .join(' and ')}: promotion copies the reference the branch has`,
      );
    }
    if (promoteFromBranch === common.branch)
      r.problem(
        `input 'promote-from-branch' is the same as 'branch' ('${promoteFromBranch}'): promote from another branch`,
      );
    // The same rule as 'branch' (git-writeback's validator), so the two inputs can never disagree.
    const badSource = branchProblem(promoteFromBranch);
    if (badSource) r.problem(`input 'promote-from-branch' ${badSource}`);
  } else if (tag === undefined && digest === undefined) {
    r.problem(`input 'tag' or 'digest' (or 'promote-from-branch') is required`);
  }

  const format = r.choice('format', ['auto', 'kubernetes', 'helm', 'kustomize'] as const, 'auto');
  const helmKeys: PathSegment[][] = [];
  for (const key of r.list('helm-key')) {
    try {
      helmKeys.push(parsePath(key));
    } catch (e) {
      r.problem(
        `input 'helm-key' has a bad path '${key}': ${(e as Error).message.replace(
          /^bad key path "[^"]*": /,
          '',
        )} (paths are like image.tag or api.image\\.tag)`,
      );
    }
  }
  if (helmKeys.length > 0 && format !== 'auto' && format !== 'helm')
    r.problem(`input 'helm-key' applies to Helm values, but 'format' is '${format}'`);
  r.done();
  return { ...common, files, image, tag, digest, promoteFromBranch, format, helmKeys };
}
