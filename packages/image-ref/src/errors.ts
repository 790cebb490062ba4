/**
 * The refusals of image-ref, each the user's to fix (a file, an input or a branch says something
 * that cannot be bumped without guessing). Kept apart from the code that throws them, with no
 * imports, so an action can tell them apart without bundling the finder (`/errors` subpath).
 */

/** A string that is not an image reference `name[:tag][@digest]`. Named so as not to shadow the built-in ReferenceError. */
export class ImageRefError extends Error {
  override name = 'ImageRefError';
}

/** A reference that cannot be brought to the target without guessing; points at the file and line. */
export class ImageUpdateError extends Error {
  override name = 'ImageUpdateError';
  constructor(
    message: string,
    readonly fileName: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/** The source branch cannot say which one reference to promote. */
export class PromotionError extends Error {
  override name = 'PromotionError';
}
