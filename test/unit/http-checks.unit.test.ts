import { describe, expect, it } from 'vitest';
import { InputError } from '@mlflow-actions/action-kit/errors';
import {
  headerVariables,
  parseChecks,
  parseExpectJson,
  pickLoadRequest,
  readJsonPath,
  jsonMatches,
} from '@mlflow-actions/http-checks';

function problems(text: string): string[] {
  try {
    parseChecks(text);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).problems;
  }
  throw new Error('no error');
}

describe('parseChecks', () => {
  it('reads a list with defaults: GET, POST when a body is given, 2xx expected', () => {
    const [get, post] = parseChecks(
      '- path: /health\n- path: /predict\n  json: {inputs: [[1]]}\n  expect-status: [200, 201]\n',
    );
    expect(get).toMatchObject({ name: 'GET /health', method: 'GET', expectStatus: [] });
    expect(post).toMatchObject({ method: 'POST', json: { inputs: [[1]] }, expectStatus: [200, 201] });
  });

  it('names the line of each bad item, all at once', () => {
    expect(problems('- path: /ok\n- path: nope\n- path: /x\n  method: FETCH\n  expect-stats: 200\n')).toEqual([
      'checks: item 2 (line 2): "path" is required and must start with "/"',
      expect.stringMatching(/^checks: item 3 \(line 3\): unknown key "expect-stats"/),
      'checks: item 3 (line 3): method "FETCH" is not one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
    ]);
  });

  it('reports YAML that does not parse, and a mapping instead of a list', () => {
    expect(problems('- path: /a\n  headers: {x: 1\n')[0]).toMatch(/^checks: not valid YAML at line \d/);
    expect(problems('path: /a')).toEqual(['checks: must be a YAML list of checks (each item "- path: /...")']);
  });

  it('finds the variables header values name', () => {
    expect(headerVariables(parseChecks('- path: /a\n  headers: {X-Admin-Token: "${ADMIN}", A: "b ${B}"}'))).toEqual([
      'ADMIN',
      'B',
    ]);
  });
});

describe('json paths', () => {
  it('reads dotted and indexed paths; a YAML number matches the same text', () => {
    const body = { models: [{ version: '3' }] };
    expect(readJsonPath(body, 'models[0].version')).toBe('3');
    expect(readJsonPath(body, 'models.1.version')).toBeUndefined();
    expect(jsonMatches('3', 3)).toBe(true);
    expect(jsonMatches({ a: 1 }, 1)).toBe(false);
  });

  it('picks the load request by name or number, defaulting to GET of the health path', () => {
    const checks = parseChecks('- { name: predict, path: /predict, json: { inputs: [[1]] } }\n- path: /version');
    expect(pickLoadRequest(checks, undefined, '/healthz')).toMatchObject({
      request: { method: 'GET', path: '/healthz' },
    });
    expect(pickLoadRequest(checks, 'predict', '/health')).toMatchObject({
      request: { method: 'POST', path: '/predict' },
    });
    expect(pickLoadRequest(checks, '2', '/health')).toMatchObject({ request: { path: '/version' } });
    expect(pickLoadRequest(checks, '3', '/health')).toEqual({
      problem: 'is check number 3, but the checks list has 2 item(s)',
    });
    expect(pickLoadRequest(checks, 'predcit', '/health')).toEqual({
      problem: '"predcit" names no check (the checks are: "predict", "GET /version"); use a check\'s name or number',
    });
  });

  it('reads health-expect-json as a mapping, and says so in one line when it is not', () => {
    expect(parseExpectJson('{ status: ok, model.version: 7 }', 'x')).toEqual({ status: 'ok', 'model.version': 7 });
    expect(parseExpectJson('', 'x')).toBeUndefined();
    expect(() => parseExpectJson('- ok', "input 'health-expect-json'")).toThrow(
      /^input 'health-expect-json': must be a mapping of JSON path to value/,
    );
  });
});
