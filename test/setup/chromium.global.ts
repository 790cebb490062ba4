import { ensureChromium } from '../viewer/browser.js';

/**
 * Makes sure Debian's Chromium is installed before the viewer's browser tests start. If it cannot be
 * had, the whole run fails with the reason: no browser test is skipped for want of a browser.
 */
export default function setup(): void {
  ensureChromium();
}
