import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ServiceError } from './errors.js';

/**
 * Writes a file an input names: next to its place, then renamed, so a reader never sees half a
 * file and a failure leaves the old one (and no temporary file). A failure is the user's to fix
 * (a read-only or missing place), so it is an error naming the input, not a bug.
 */
export function writeFileAtomically(file: string, data: string, input: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, data, { encoding: 'utf8', flag: 'wx' });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new ServiceError(`input '${input}' could not be written ('${file}'): ${(e as Error).message}`);
  }
}
