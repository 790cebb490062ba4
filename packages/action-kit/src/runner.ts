import { randomUUID } from 'node:crypto';
import * as core from '@actions/core';
import type { Logger } from './log.js';

/**
 * What the actions say to the runner, through @actions/core: log lines, annotations, masks,
 * groups, outputs and the step summary. The only module of the repository that imports the
 * toolkit's core; domain packages take a Logger instead.
 */

export interface AnnotationProperties {
  file?: string;
  line?: number;
  col?: number;
}

function annotation(props: AnnotationProperties): core.AnnotationProperties {
  // Only the properties that are set: core writes `::warning ::` for an object of undefineds.
  const all: core.AnnotationProperties = { file: props.file, startLine: props.line, startColumn: props.col };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined));
}

export function error(message: string, props: AnnotationProperties = {}): void {
  core.error(message, annotation(props));
}

export function warning(message: string, props: AnnotationProperties = {}): void {
  core.warning(message, annotation(props));
}

/**
 * A log line. Every action's and package's info lines go through here, and many quote outside
 * text (a service's answer, a registry URI), so none may start a runner command: `::` at the start
 * of a line (after spaces) and `##[` anywhere are broken with a zero-width space. Our own
 * commands never go through info (they are core's functions), so nothing of ours is lost.
 */
export function info(message: string): void {
  core.info(neutralizeCommands(message));
}

export function neutralizeCommands(text: string): string {
  return text.replace(/^([ \t]*)::/gm, '$1:\u200b:').replace(/##\[/g, '#\u200b#[');
}
export const debug = core.debug;

/** An error annotation and a failing exit code. */
export function setFailed(message: string, props: AnnotationProperties = {}): void {
  process.exitCode = core.ExitCode.Failure;
  error(message, props);
}

/**
 * Masks a value in every later log line. A multi-line secret is also masked line by line: the
 * runner matches masks within one line, so a PEM key would otherwise show between its first and
 * last lines.
 */
export function setSecret(value: string | undefined): void {
  if (!value) return;
  core.setSecret(value);
  for (const line of value.split(/\r?\n/)) if (line && line !== value) core.setSecret(line);
}

export const startGroup = core.startGroup;
export const endGroup = core.endGroup;
export const group = core.group;
export const setOutput = core.setOutput;
export const saveState = core.saveState;
export const getState = core.getState;

/**
 * Adds Markdown to the step summary. It is buffered and written once when the action ends,
 * whether it succeeded or not (defineAction does that).
 */
export function appendSummary(markdown: string): void {
  core.summary.addRaw(markdown, true);
}

export async function writeSummary(): Promise<void> {
  if (core.summary.isEmptyBuffer() || !process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.write();
}

/**
 * Prints text that came from outside (a file's lines, a diff, a registry's description, a
 * server's error body) so that the runner reads none of it as a workflow command: between
 * `::stop-commands::<token>` and `::<token>::`, with a token the text cannot know.
 */
export function printUntrusted(text: string): void {
  let token = randomUUID();
  while (text.includes(token)) token = randomUUID();
  process.stdout.write(`::stop-commands::${token}\n${text.endsWith('\n') ? text : `${text}\n`}::${token}::\n`);
}

/**
 * Runs fn while the runner reads no workflow command: for the output of a process that prints
 * outside text as it goes (a user's tests quoting a service's answers). The token is made here, so
 * the process cannot know it; our own lines in between are plain log lines too.
 */
export async function withCommandsStopped<T>(fn: () => Promise<T>): Promise<T> {
  const token = randomUUID();
  process.stdout.write(`::stop-commands::${token}\n`);
  try {
    return await fn();
  } finally {
    process.stdout.write(`\n::${token}::\n`);
  }
}

/**
 * Makes one line of outside text safe inside an annotation or a log line: a runner command is
 * recognised only at the start of a line (after spaces) or as `##[`, so a line break (escaped by
 * core in annotations) and `##[` are the only ways in.
 */
export function untrustedLine(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ').replace(/##\[/g, '#\u200b#[');
}

export const runnerLogger: Logger = {
  debug,
  info,
  warning: (m) => warning(m),
};
