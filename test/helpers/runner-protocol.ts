/**
 * Reads a step's stdout as the Actions runner does: `::command props::message` lines (after
 * leading spaces), `##[command]` lines, and `::stop-commands::<token>` … `::<token>::` blocks,
 * inside which nothing is a command. Only what the runner would act on is returned.
 */
export interface RunnerCommand {
  command: string;
  props: Record<string, string>;
  message: string;
}

const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) => unescapeData(s).replace(/%3A/g, ':').replace(/%2C/g, ',');

export function runnerCommands(stdout: string): RunnerCommand[] {
  const commands: RunnerCommand[] = [];
  let stopToken: string | undefined;
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trimStart();
    if (stopToken !== undefined) {
      if (line === `::${stopToken}::`) stopToken = undefined;
      continue;
    }
    const m = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(line) ?? /^##\[([A-Za-z-]+)(?: ([^\]]*))?\](.*)$/.exec(line);
    if (!m) continue;
    const props = Object.fromEntries(
      (m[2] ?? '')
        .split(/[,;]/)
        .filter(Boolean)
        .map((kv) => {
          const eq = kv.indexOf('=');
          return [kv.slice(0, eq), unescapeProperty(kv.slice(eq + 1))];
        }),
    );
    const command = { command: m[1]!, props, message: unescapeData(m[3]!) };
    if (command.command === 'stop-commands') stopToken = command.message;
    else commands.push(command);
  }
  return commands;
}
