import { runnerCommands } from './runner-protocol.js';

/**
 * Every workflow command the runner would act on in a step's stdout that carries `marker`:
 * the commands themselves (runnerCommands), and also any `::stop-commands::` the runner would
 * obey (runnerCommands consumes those: an injected one would silence the step's own commands).
 */
export function injectedCommands(stdout: string, marker: string): string[] {
  const found = runnerCommands(stdout)
    .filter((c) => c.message.includes(marker) || Object.values(c.props).some((v) => v.includes(marker)))
    .map((c) => `${c.command}: ${c.message}`);
  let stopToken: string | undefined;
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trimStart();
    if (stopToken !== undefined) {
      if (line === `::${stopToken}::`) stopToken = undefined;
      continue;
    }
    const m = /^::stop-commands::(.*)$/.exec(line);
    if (!m) continue;
    stopToken = m[1]!;
    if (stopToken.includes(marker)) found.push(`stop-commands: ${stopToken}`);
  }
  return found;
}
