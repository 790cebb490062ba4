import { appendFileSync } from 'node:fs';
import type { Logger } from './log.js';

/** os.EOL without loading node:os on every start. */
const EOL = process.platform === 'win32' ? '\r\n' : '\n';

/**
 * The runner's workflow-command protocol (annotations, masks, groups, outputs, step summary),
 * written to stdout and to the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files exactly as @actions/core
 * writes them (escaping and heredoc delimiters from actions/toolkit packages/core).
 *
 * Why not @actions/core itself: its module graph loads @actions/http-client and undici for OIDC,
 * about 70 ms on these machines, which alone breaks an action's cold-start budget (an input error
 * must come back at the speed of `node -e 0`). Nothing here needs the network. A unit test checks
 * these files parse exactly like the ones @actions/core writes.
 */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function issue(command: string, message = '', props: Record<string, string | number | undefined> = {}): void {
  const p = Object.entries(props)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  process.stdout.write(`::${command}${p ? ` ${p}` : ''}::${escapeData(message)}${EOL}`);
}

export interface AnnotationProperties {
  file?: string;
  line?: number;
  col?: number;
}

export function error(message: string, props: AnnotationProperties = {}): void {
  issue('error', message, { ...props });
}

export function warning(message: string): void {
  issue('warning', message);
}

export function info(message: string): void {
  process.stdout.write(message + EOL);
}

export function debug(message: string): void {
  issue('debug', message);
}

/** Same effect as core.setFailed: an error annotation and a failing exit code. */
export function setFailed(message: string, props: AnnotationProperties = {}): void {
  process.exitCode = 1;
  error(message, props);
}

/** Masks a value in every later log line. Multi-line secrets are masked line by line, as core does. */
export function setSecret(value: string | undefined): void {
  if (!value) return;
  issue('add-mask', value);
  for (const line of value.split(/\r?\n/)) if (line && line !== value) issue('add-mask', line);
}

export function startGroup(name: string): void {
  issue('group', name);
}

export function endGroup(): void {
  issue('endgroup');
}

export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  startGroup(name);
  try {
    return await fn();
  } finally {
    endGroup();
  }
}

function fileCommand(envName: string, key: string, value: string): boolean {
  const file = process.env[envName];
  if (!file) return false;
  // The Web Crypto global, reached only here: importing node:crypto would load it (and the
  // stream modules it needs) on every start, also when an input error is all there is to print.
  const delimiter = `ghadelimiter_${globalThis.crypto.randomUUID()}`;
  if (key.includes(delimiter) || value.includes(delimiter)) throw new Error('unexpected delimiter collision');
  appendFileSync(file, `${key}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
  return true;
}

export function setOutput(name: string, value: string): void {
  if (!fileCommand('GITHUB_OUTPUT', name, value)) {
    // Old runners without the file command: the deprecated stdout form, as core falls back to.
    process.stdout.write(EOL);
    issue(`set-output name=${name}`, value);
  }
}

/** Appends Markdown to the job's step summary; a no-op outside the runner. */
export function appendSummary(markdown: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, markdown.endsWith(EOL) ? markdown : markdown + EOL, 'utf8');
}

export const workflowLogger: Logger = {
  debug,
  info,
  warning,
};
