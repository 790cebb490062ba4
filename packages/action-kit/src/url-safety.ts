/**
 * Where credentials may travel unencrypted: nowhere but this machine. Shared by every client that
 * sends a credential (git write-back, MLflow, S3), so they agree on what "loopback" is.
 */

/** Loopback only: 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * Why credentials must not go to `url`: plain http to a host that is not loopback, where anyone on
 * the network path can read them (or replay a signed request). Undefined when the URL is safe. One
 * line naming the input, for an input error.
 */
export function plainHttpCredentialsProblem(url: URL, what: string, input: string): string | undefined {
  if (url.protocol !== 'http:' || isLoopbackHost(url.hostname)) return undefined;
  return (
    `input '${input}' is plain http to ${url.host}, where ${what} would travel unencrypted: ` +
    'use https (plain http is allowed only to a loopback address)'
  );
}
