export { publish, type PublishOptions, type PublishResult, type PublishAction } from './publish.js';
export { createS3Client, closeS3Client, type S3ConnectionOptions } from './client.js';
export {
  cacheControlFor,
  contentTypeFor,
  parseCacheRules,
  isHashedName,
  IMMUTABLE,
  NO_CACHE,
  DEFAULT_CACHE_CONTROL,
  type CacheRule,
} from './cache-control.js';
export {
  sanitizeVersion,
  defaultArtifactVersion,
  artifactVersionProblem,
  bucketNameProblem,
  normalizePrefix,
  keyPathProblem,
  parseCacheRuleLines,
  parseConcurrency,
} from './validate.js';
export { walkSourceDir, sha256File, type LocalFile } from './walk.js';
export { plan, type PlannedAction } from './sync.js';
export { MANIFEST_NAME, VERSION_NAME, type Manifest, type ManifestEntry } from './remote.js';
export { toServiceError } from './errors.js';
