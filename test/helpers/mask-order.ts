import { runnerCommands } from './runner-protocol.js';

/**
 * What is wrong with a step's masking, as the runner would see it: each credential must be masked
 * (`::add-mask::`, read as the runner reads commands) before the first line that is not a mask, so
 * that no line the step prints, whatever it holds, can show one; and stderr must never hold one.
 * Returns one sentence per problem (empty: all well).
 */
export function maskProblems(run: { stdout: string; stderr: string }, credentials: string[]): string[] {
  const problems: string[] = [];
  const lines = run.stdout.split(/\r?\n/);
  const masked = new Set<string>();
  let firstOther = lines.length;
  for (const [i, line] of lines.entries()) {
    const [command] = runnerCommands(line);
    if (command?.command === 'add-mask') masked.add(command.message);
    else if (line.trim() !== '') {
      firstOther = i;
      break;
    }
  }
  for (const c of credentials) {
    if (!masked.has(c)) {
      const at = lines.findIndex((l) => l.includes(c));
      const shown = at >= 0 && !runnerCommands(lines[at]!).some((x) => x.command === 'add-mask' && x.message === c);
      problems.push(
        `credential ${c.slice(0, 4)}… is not masked before line ${firstOther + 1}` +
          (shown ? ` and is printed raw on line ${at + 1}` : ''),
      );
    }
    if (run.stderr.includes(c)) problems.push(`credential ${c.slice(0, 4)}… is printed on stderr`);
  }
  return problems;
}
