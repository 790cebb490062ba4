import { mdCode } from '@mlflow-actions/action-kit/markdown';
import type { DigestForm } from '@mlflow-actions/image-ref';

/** One note per way a digest was written: where, in which form, and why that form. */
export interface DigestFormNote {
  /** For the log. */
  text: string;
  /** For the step summary. */
  markdown: string;
}

const FORM = {
  'tag-line': 'pinned on the tag line as tag@digest',
  'digest-key': 'written to the digest key',
} as const;

/**
 * Says, for the Helm blocks and kustomize entries that got a digest, which form was written and
 * why: a chart that renders only repository:tag would ignore a digest key, so the form matters.
 */
export function digestFormNotes(
  changes: readonly { file: string; line: number; digestForm?: DigestForm | undefined }[],
): DigestFormNote[] {
  const groups = new Map<string, { form: DigestForm; places: string[] }>();
  for (const c of changes) {
    if (!c.digestForm) continue;
    const key = `${c.digestForm.form}\n${c.digestForm.reason}`;
    const group = groups.get(key) ?? { form: c.digestForm, places: [] };
    group.places.push(`${c.file}:${c.line}`);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ form, places }) => ({
    text: `digest ${FORM[form.form]} at ${places.join(', ')}: ${form.reason}`,
    markdown: `Digest ${FORM[form.form]} at ${places.map(mdCode).join(', ')}: ${form.reason}.`,
  }));
}
