// The page shell. Everything from the metadata goes into one JSON data island that is never
// executed; the title is the only other text, and it is HTML-escaped.
import { APP_SCRIPT, APP_STYLE } from './generated/app-assets.js';

/**
 * No inline script, no remote origin, nothing to connect to. The JSON island is not a script the
 * browser runs, so `script-src 'self'` (the app's own file) is all that is allowed; Chromium counts
 * same-directory files of a file:// page as 'self'. `data:` images cover the empty favicon, which
 * keeps the browser from asking a server for /favicon.ico.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'none'; connect-src 'none'; " +
  "object-src 'none'; frame-src 'none'; worker-src 'none'; manifest-src 'none'; base-uri 'none'; form-action 'none'";

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON that cannot end its <script> element: `<` (so no `</script>` or `<!--`), `>`, `&` and the
 * two line separators that old parsers treat as newlines are written as \u escapes, which JSON.parse
 * reads back as the same characters.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function renderIndexHtml(opts: { title: string; basePath: string; dataJson: string }): string {
  const asset = (file: string) => escapeHtml(opts.basePath + file);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="build-viewer">
<title>${escapeHtml(opts.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${asset(APP_STYLE.file)}">
<script src="${asset(APP_SCRIPT.file)}" defer></script>
</head>
<body>
<main id="app" aria-busy="true"><noscript><p>This page needs JavaScript to show the model. The data is in <a href="${asset(
    'model_metadata.json',
  )}">model_metadata.json</a>.</p></noscript></main>
<script type="application/json" id="model-data">${opts.dataJson}</script>
</body>
</html>
`;
}
