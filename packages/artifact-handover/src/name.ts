/** Artifact names, checked as @actions/artifact checks them; light, for the input checks. */

// What @actions/artifact refuses in a name (NTFS-safe names, same list as its validator).
const FORBIDDEN_IN_NAME: [string, string][] = [
  ['"', 'a double quote'],
  [':', 'a colon'],
  ['<', "'<'"],
  ['>', "'>'"],
  ['|', "'|'"],
  ['*', "'*'"],
  ['?', "'?'"],
  ['\r', 'a carriage return'],
  ['\n', 'a line feed'],
  ['\\', 'a backslash'],
  ['/', 'a slash'],
];

/** Why a name cannot be an artifact's, or undefined when it can (for the input check). */
export function artifactNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'is empty';
  for (const [ch, what] of FORBIDDEN_IN_NAME) {
    if (name.includes(ch))
      return `contains ${what}, which artifact names may not; use letters, digits, '-', '_' and '.'`;
  }
  return undefined;
}
