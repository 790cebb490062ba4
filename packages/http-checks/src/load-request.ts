import type { HttpCheck } from './check-spec.js';

/**
 * The request a load test sends: a check picked by its name or its 1-based position in the checks
 * list, or (unset) `GET <health path>`. Returns a one-line problem instead when the pick names
 * nothing, listing what there is to pick.
 */
export function pickLoadRequest(
  checks: HttpCheck[],
  pick: string | undefined,
  healthPath: string,
): { request: HttpCheck } | { problem: string } {
  if (!pick) {
    return {
      request: {
        name: `GET ${healthPath}`,
        method: 'GET',
        path: healthPath,
        headers: {},
        expectStatus: [],
        expectJson: {},
        expectBodyContains: [],
      },
    };
  }
  if (/^\d+$/.test(pick)) {
    const check = checks[Number(pick) - 1];
    if (check) return { request: check };
    return { problem: `is check number ${pick}, but the checks list has ${checks.length} item(s)` };
  }
  const byName = checks.filter((c) => c.name === pick);
  if (byName.length === 1) return { request: byName[0]! };
  if (byName.length > 1) return { problem: `"${pick}" names ${byName.length} checks; give them distinct names` };
  const names = checks.map((c) => `"${c.name}"`).join(', ');
  return { problem: `"${pick}" names no check (the checks are: ${names || 'none'}); use a check's name or number` };
}
