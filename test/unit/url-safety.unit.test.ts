import { describe, expect, it } from 'vitest';
import { isLoopbackHost, plainHttpCredentialsProblem } from '@mlflow-actions/action-kit/url-safety';

describe('plain http with credentials', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '[::1]', '::1'])('%s is loopback', (h) =>
    expect(isLoopbackHost(h)).toBe(true),
  );
  it.each(['10.0.0.1', '128.0.0.1', 'example.com', '[::2]', 'localhost.example.com'])('%s is not', (h) =>
    expect(isLoopbackHost(h)).toBe(false),
  );
  it('refuses http off loopback only, naming the input', () => {
    expect(
      plainHttpCredentialsProblem(new URL('http://mlflow.example.com:5000'), 'MLflow credentials', 'tracking-uri'),
    ).toBe(
      "input 'tracking-uri' is plain http to mlflow.example.com:5000, where MLflow credentials would travel " +
        'unencrypted: use https (plain http is allowed only to a loopback address)',
    );
    expect(plainHttpCredentialsProblem(new URL('http://127.0.0.1:5000'), 'x', 'y')).toBeUndefined();
    expect(plainHttpCredentialsProblem(new URL('http://[::1]:5000'), 'x', 'y')).toBeUndefined();
    expect(plainHttpCredentialsProblem(new URL('https://mlflow.example.com'), 'x', 'y')).toBeUndefined();
  });
});
