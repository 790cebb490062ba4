// The page's sections other than metrics and charts: header, description, run, source, params, tags.
import type { ModelMetadata } from '../../model-metadata/src/types.js';
import type { ViewerData } from './data.js';
import { h, keyValueTable, link, section } from './dom.js';
import { formatDuration, formatTime } from './format.js';
import { parseMarkdown } from './markdown.js';
import { renderMarkdown } from './markdown-dom.js';

function stageClass(stage: string): string {
  const s = stage.toLowerCase();
  return s === 'production'
    ? 'badge stage-production'
    : s === 'staging'
      ? 'badge stage-staging'
      : s === 'archived'
        ? 'badge stage-archived'
        : 'badge';
}

export function renderHeader(data: ViewerData): HTMLElement {
  const m = data.metadata;
  const badges = h(
    'ul',
    { class: 'badges', 'aria-label': 'Version, stage and aliases' },
    h('li', { class: 'badge version' }, `Version ${m.version}`),
    h('li', { class: stageClass(m.stage) }, `Stage: ${m.stage}`),
    m.aliases.map((a) => h('li', { class: 'badge alias' }, h('span', { class: 'sr-only' }, 'Alias: '), `@${a}`)),
    m.status !== 'READY' ? h('li', { class: 'badge warn' }, m.status) : null,
  );
  const links = h(
    'nav',
    { class: 'mlflow-links', 'aria-label': 'Open in MLflow' },
    h('span', { class: 'muted' }, 'Open in MLflow:'),
    link(m.links.registered_model, 'Registered model'),
    link(m.links.model_version, `Version ${m.version}`),
    m.links.run ? link(m.links.run, 'Run') : null,
    m.links.experiment ? link(m.links.experiment, 'Experiment') : null,
  );
  return h(
    'header',
    { class: 'page-header' },
    h('h1', null, data.title ?? m.model_name),
    data.title ? h('p', { class: 'subtitle' }, 'Model ', h('strong', null, m.model_name)) : null,
    badges,
    links,
  );
}

export function renderDescription(m: ModelMetadata): HTMLElement {
  const own = m.description?.trim();
  const model = m.registered_model.description?.trim();
  return section(
    'description',
    'Description',
    own
      ? h('div', { class: 'markdown' }, renderMarkdown(parseMarkdown(own)))
      : h('p', { class: 'muted' }, 'This version has no description.'),
    model && model !== own
      ? h(
          'details',
          null,
          h('summary', null, 'About the registered model'),
          h('div', { class: 'markdown' }, renderMarkdown(parseMarkdown(model))),
        )
      : null,
  );
}

function time(ms: number | null): Node | string {
  return ms === null ? '—' : h('time', { datetime: new Date(ms).toISOString() }, formatTime(ms));
}

function fact(term: string, ...value: (Node | string | null)[]): HTMLElement[] {
  return [h('dt', null, term), h('dd', null, ...value)];
}

export function renderRun(m: ModelMetadata): HTMLElement {
  const r = m.run;
  if (!r) {
    return section(
      'run',
      'Run',
      h(
        'p',
        { class: 'muted' },
        m.run_id
          ? `The run ${m.run_id} could not be read from MLflow (it may have been deleted).`
          : 'This version was registered without a run.',
      ),
    );
  }
  const took =
    r.start_time !== null && r.end_time !== null
      ? formatDuration(r.end_time - r.start_time)
      : r.status === 'RUNNING'
        ? 'still running'
        : '—';
  const status = r.status ?? '—';
  return section(
    'run',
    'Run',
    h(
      'dl',
      { class: 'facts' },
      fact(
        'Experiment',
        link(m.links.experiment, r.experiment_name ?? `#${r.experiment_id}`),
        r.experiment_name ? h('span', { class: 'muted' }, ` (id ${r.experiment_id})`) : null,
      ),
      fact(
        'Run',
        link(m.links.run, r.run_name ?? r.run_id),
        r.run_name ? h('span', { class: 'muted' }, ` (${r.run_id})`) : null,
      ),
      fact('Status', h('span', { class: `status status-${status.toLowerCase().replace(/[^a-z]/g, '')}` }, status)),
      fact('User', r.user_id ?? '—'),
      fact('Git commit', r.git_commit ? h('code', { title: r.git_commit }, r.git_commit.slice(0, 12)) : '—'),
      fact('Started', time(r.start_time)),
      fact('Ended', time(r.end_time)),
      fact('Duration', took),
    ),
  );
}

export function renderSource(m: ModelMetadata): HTMLElement {
  const src = m.source_artifact_uri;
  if (!src)
    return section(
      'source',
      'Artifact source',
      h('p', { class: 'muted' }, 'MLflow records no source for this version.'),
    );
  const field = h('input', { id: 'source-uri', type: 'text', readonly: true, class: 'mono', spellcheck: 'false' });
  field.value = src;
  const status = h('span', { role: 'status', class: 'copy-status' });
  const button = h('button', { type: 'button', class: 'copy' }, 'Copy');
  button.addEventListener('click', () => {
    const done = (ok: boolean) => {
      status.textContent = ok ? 'Copied' : 'Select the text and copy it';
      setTimeout(() => (status.textContent = ''), 2500);
    };
    // The clipboard API copies without moving focus or the selection. It needs a secure context and
    // permission; without them, copy the selected field and give focus back to the button (on
    // failure the text stays selected, for the reader to copy).
    const fallback = () => {
      field.select();
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the fallback for when the clipboard API is missing
      const ok = document.execCommand('copy');
      if (ok) button.focus();
      done(ok);
    };
    // The types say it is always there; outside a secure context it is not.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
    if (navigator.clipboard?.writeText) navigator.clipboard.writeText(src).then(() => done(true), fallback);
    else fallback();
  });
  return section(
    'source',
    'Artifact source',
    h(
      'div',
      { class: 'copy-row' },
      h('label', { for: 'source-uri', class: 'sr-only' }, 'Artifact source URI'),
      field,
      button,
      status,
    ),
    m.model_id ? h('p', { class: 'muted' }, 'Logged model ', h('code', null, m.model_id)) : null,
  );
}

export function renderKeyValues(
  id: string,
  title: string,
  map: Record<string, string>,
  empty: string,
  head: [string, string],
): HTMLElement {
  const n = Object.keys(map).length;
  return section(
    id,
    n ? `${title} (${n})` : title,
    n ? keyValueTable(title, map, head) : h('p', { class: 'muted' }, empty),
  );
}

export function renderFooter(data: ViewerData): HTMLElement {
  const m = data.metadata;
  const file = h('a', null, 'model_metadata.json');
  file.setAttribute('href', 'model_metadata.json'); // a fixed relative name, never data
  return h(
    'footer',
    null,
    h(
      'p',
      null,
      'Read from MLflow at ',
      h('time', { datetime: m.fetched_at }, formatTime(Date.parse(m.fetched_at))),
      '; page built ',
      h('time', { datetime: data.generated_at }, formatTime(Date.parse(data.generated_at))),
      '. Data: ',
      file,
      '.',
    ),
  );
}
