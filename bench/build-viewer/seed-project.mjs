// Seed 000's way, reproduced: a small Vite dashboard with PostCSS (postcss-preset-env + cssnano)
// that fetches model_metadata.json and fills the page with innerHTML, installed and built on every
// deploy. Written into a temporary directory by run.mjs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SEED_DEPENDENCIES = { vite: '^7.0.0', 'postcss-preset-env': '^10.0.0', cssnano: '^7.0.0' };

export function writeSeedProject(dir) {
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'public'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'model-dashboard',
        private: true,
        type: 'module',
        scripts: { build: 'vite build' },
        devDependencies: SEED_DEPENDENCIES,
      },
      null,
      2,
    ),
  );
  writeFileSync(
    join(dir, 'postcss.config.js'),
    `import presetEnv from 'postcss-preset-env';\nimport cssnano from 'cssnano';\nexport default { plugins: ` +
      `[presetEnv({ stage: 1 }), cssnano()] };\n`,
  );
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html>\n<html><head><meta charset="utf-8"><title>Model</title></head>\n<body><div ` +
      `id="app">Loading…</div><script type="module" src="/src/main.js"></script></body></html>\n`,
  );
  writeFileSync(
    join(dir, 'src', 'main.js'),
    `import './style.css';
// As seed 000 did: fetch the metadata and build the page with innerHTML (the injection hole).
const m = await (await fetch('./model_metadata.json')).json();
const rows = Object.entries(m.metrics).map(([k, v]) => \`<tr><td>\${k}</td><td>\${v}</td></tr>\`).join('');
document.getElementById('app').innerHTML = \`
  <header><h1>\${m.model_name}</h1><span class="badge">v\${m.version}</span><span class="badge">\${m.stage}</span></header>
  <section><h2>Description</h2><p>\${m.description ?? ''}</p></section>
  <section><h2>Metrics</h2><table><tbody>\${rows}</tbody></table></section>
  <section><h2>Source</h2><code>\${m.source_artifact_uri}</code></section>\`;
`,
  );
  writeFileSync(
    join(dir, 'src', 'style.css'),
    `:root { --accent: oklch(55% 0.15 250); --bg: #fff; }
@media (prefers-color-scheme: dark) { :root { --bg: #111; } }
body { font-family: system-ui; background: var(--bg); & header { display: flex; gap: 8px; } }
.badge { padding: 2px 8px; border-radius: 999px; background: color-mix(in oklch, var(--accent), white 80%); }
table { border-collapse: collapse; & td { padding: 4px 8px; border-bottom: 1px solid #ddd; } }
@custom-media --phone (width < 600px);
@media (--phone) { body { font-size: 14px; } }
`,
  );
  writeFileSync(join(dir, 'public', 'model_metadata.json'), '{}');
}
