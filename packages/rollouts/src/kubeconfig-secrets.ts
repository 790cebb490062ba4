import { existsSync, readFileSync } from 'node:fs';
import { isKubeconfigContent, type Env } from './kubeconfig-source.js';

// What a kubeconfig may carry that must never reach a log: tokens, passwords, client keys, auth-provider
// tokens and secrets. Matched in the text (no YAML parser, no Kubernetes client: this runs before any input
// is parsed, and a file that does not parse is masked all the same).
const VALUE = `[ \\t]*:[ \\t]*(?:"([^"]*)"|'([^']*)'|([^\\s#,}]+))`;
// A key starts a line (block style, as kubectl writes it) or follows `{` or `,` (flow style and JSON).
const KEY_START = `(?:^[ \\t-]*|[{,][ \\t]*)`;
const CREDENTIAL = new RegExp(
  `${KEY_START}"?(?:token|password|client-key-data|id-token|refresh-token|access-token|client-secret)"?${VALUE}`,
  'gm',
);
const TOKEN_FILE = new RegExp(`${KEY_START}"?tokenFile"?${VALUE}`, 'gm');
const valueOf = (m: RegExpMatchArray) => m[1] ?? m[2] ?? m[3];

/** Every credential of the kubeconfig the action will use (input content or path, else KUBECONFIG's files). */
export function kubeconfigSecrets(input: string | undefined, env: Env): string[] {
  const texts: string[] = [];
  const given = input?.trim();
  try {
    if (given) texts.push(isKubeconfigContent(given) ? given : readFileSync(given, 'utf8'));
    else for (const p of (env.KUBECONFIG ?? '').split(':')) if (p && existsSync(p)) texts.push(readFileSync(p, 'utf8'));
  } catch {
    // unreadable: loadKubeConfig reports it
  }
  const secrets = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(CREDENTIAL)) {
      const v = valueOf(m);
      if (v) secrets.add(v);
    }
    for (const m of text.matchAll(TOKEN_FILE)) {
      const file = valueOf(m);
      try {
        if (file && existsSync(file)) secrets.add(readFileSync(file, 'utf8').trim());
      } catch {
        // unreadable token file: the client reports it
      }
    }
  }
  return [...secrets].filter((s) => s.length >= 4);
}
