// The model viewer: a static site builder, and the browser app it ships (app/, built once by
// scripts/build-app.mjs into generated/app-assets.ts).
export { buildSite, previousVersion, type SiteFile, type SiteOptions } from './site.js';
export { readMetadataFile, type MetadataFile } from './read-metadata.js';
export { checkOutputDir, writeSiteAtomically, type WriteResult } from './output-dir.js';
export { CONTENT_SECURITY_POLICY, escapeHtml, jsonForScript } from './html.js';
export {
  compareMetrics,
  countVerdicts,
  metricDirection,
  DIRECTION_RULE,
  type MetricChange,
  type Verdict,
} from '../app/compare.js';
export { formatDelta, formatValue } from '../app/format.js';
export type { ViewerData, PreviousVersion } from '../app/data.js';
