import type { CheckOutcome, CheckStage } from '@mlflow-actions/rollouts';
import type { Inputs } from './inputs.js';

/**
 * The one seam to the check engine: which URL each stage checks and what the verdict is. Until the check engine
 * of ephemeral-test lands as a package, the checks are the ones every serving image answers: GET /health is 2xx,
 * and with expected-version, GET /version reports it ({"version": ...} or plain text).
 */
export function checksFor(inputs: Inputs): ((stage: CheckStage) => Promise<CheckOutcome>) | undefined {
  if (!inputs.previewUrl && !inputs.activeUrl) return undefined;
  return async (stage) => {
    const url = stage.kind === 'active' ? inputs.activeUrl : (inputs.previewUrl ?? inputs.activeUrl);
    if (!url) return { passed: true, summary: 'no URL to check at this stage' };
    return basicChecks(url, inputs.expectedVersion);
  };
}

async function basicChecks(base: string, expectedVersion: string | undefined): Promise<CheckOutcome> {
  const get = async (path: string) => {
    try {
      const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(10_000), redirect: 'manual' });
      return { status: res.status, text: (await res.text()).slice(0, 10_000) };
    } catch (e) {
      return {
        status: 0,
        text: e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e),
      };
    }
  };
  const health = await get('/health');
  if (health.status < 200 || health.status >= 300) {
    return {
      passed: false,
      summary: `GET ${base}/health ${health.status ? `answered ${health.status}` : `failed: ${oneLine(health.text)}`}`,
    };
  }
  if (!expectedVersion) return { passed: true, summary: `GET ${base}/health answered ${health.status}` };
  const version = await get('/version');
  let reported = version.text.trim();
  try {
    const json = JSON.parse(reported) as { version?: unknown };
    if (json && typeof json === 'object' && json.version !== undefined) reported = String(json.version);
  } catch {
    // plain text
  }
  if (version.status !== 200 || reported !== expectedVersion) {
    const got = version.status === 200 ? `'${reported.replace(/\s+/g, ' ').slice(0, 80)}'` : `HTTP ${version.status}`;
    return { passed: false, summary: `GET ${base}/version reported ${got}, expected '${expectedVersion}'` };
  }
  return { passed: true, summary: `/health ok, /version is '${expectedVersion}'`, version: reported };
}

/** Text a service answered, on one line (it may never start a line the runner reads as a command). */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
