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
 * The warning to give when credentials go to `url` over plain http to a host that is not loopback
 * (anyone on the path can read them); undefined when that is not the case.
 */
export function plainHttpCredentialsWarning(url: URL, what: string, input: string): string | undefined {
  if (url.protocol !== 'http:' || isLoopbackHost(url.hostname)) return undefined;
  return `${what} are sent over plain http to ${url.host}, where anyone on the network path can read them: use an https ${input}`;
}
