export { ImageRefError, ImageUpdateError, PromotionError } from './errors.js';
export {
  parseReference,
  tryParseReference,
  formatReference,
  canonicalName,
  sameRepository,
  hasRegistryHost,
  nameProblem,
  tagProblem,
  digestProblem,
  type ImageReference,
} from './reference.js';
export {
  findImageReferences,
  listImageReferences,
  detectFormat,
  refersTo,
  type FoundReference,
  type ImageFormat,
  type FieldRef,
} from './find.js';
export {
  planImageUpdate,
  bumpImageReferences,
  type ImageTarget,
  type PlannedFileEdit,
  type FileBump,
  type DigestForm,
} from './update.js';
export type { FindOptions } from './find.js';
export {
  scanTree,
  matchFiles,
  bumpScan,
  promotionOf,
  nothingFoundMessage,
  type Tree,
  type Scan,
  type ScannedFile,
  type Promotion,
  type TreeBump,
  type ScanOptions,
} from './scan.js';
