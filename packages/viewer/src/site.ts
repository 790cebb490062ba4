// The site's files, in memory: the page with its data island, the prebuilt app, and the metadata.
import type { ModelMetadata } from '@mlflow-actions/model-metadata';
import type { HistoryColumns, PreviousVersion, ViewerData } from '../app/data.js';
import { APP_SCRIPT, APP_STYLE } from './generated/app-assets.js';
import { jsonForScript, renderIndexHtml } from './html.js';

export interface SiteFile {
  /** Relative to the site's root, with forward slashes. */
  path: string;
  data: string;
}

export interface SiteOptions {
  metadata: ModelMetadata;
  /** The metadata file's text, copied byte for byte to model_metadata.json. */
  metadataText: string;
  /** The version to compare with (the one in production), if any. */
  previous?: ModelMetadata | null;
  title?: string | null;
  /** URL path the site is served under, ending in `/`; empty for relative URLs (any path, file://). */
  basePath?: string | null;
  now?: Date;
}

/** The island's two-column form of the metadata's histories (see HistoryColumns). */
export function historyColumns(m: ModelMetadata): Record<string, HistoryColumns> {
  return Object.fromEntries(
    Object.entries(m.metric_history).map(([k, points]) => [
      k,
      { step: points.map((p) => p.step), value: points.map((p) => p.value) },
    ]),
  );
}

export function previousVersion(m: ModelMetadata): PreviousVersion {
  const { model_name, version, stage, aliases, metrics } = m;
  return { model_name, version, stage, aliases, metrics, histories: historyColumns(m) };
}

export function buildSite(o: SiteOptions): SiteFile[] {
  const data: ViewerData = {
    title: o.title ?? null,
    generated_at: (o.now ?? new Date()).toISOString(),
    metadata: { ...o.metadata, metric_history: {} },
    histories: historyColumns(o.metadata),
    previous: o.previous ? previousVersion(o.previous) : null,
  };
  const title = o.title ?? `${o.metadata.model_name} · version ${o.metadata.version}`;
  return [
    { path: 'index.html', data: renderIndexHtml({ title, basePath: o.basePath ?? '', dataJson: jsonForScript(data) }) },
    { path: APP_SCRIPT.file, data: APP_SCRIPT.text },
    { path: APP_STYLE.file, data: APP_STYLE.text },
    { path: 'model_metadata.json', data: o.metadataText },
  ];
}
