import { describe, expect, it } from 'vitest';
import { isLoopbackHost, plainHttpCredentialsWarning } from '@mlflow-actions/action-kit/url-safety';

describe('plain http with credentials', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '[::1]', '::1'])('%s is loopback', (h) =>
    expect(isLoopbackHost(h)).toBe(true),
  );
  it.each(['10.0.0.1', '128.0.0.1', 'example.com', '[::2]', 'localhost.example.com'])('%s is not', (h) =>
    expect(isLoopbackHost(h)).toBe(false),
  );
  it('warns for http off loopback only, naming the input', () => {
    expect(
      plainHttpCredentialsWarning(new URL('http://mlflow.example.com:5000'), 'MLflow credentials', 'tracking-uri'),
    ).toMatch(/MLflow credentials are sent over plain http to mlflow\.example\.com:5000.*use an https tracking-uri/);
    expect(plainHttpCredentialsWarning(new URL('http://127.0.0.1:5000'), 'x', 'y')).toBeUndefined();
    expect(plainHttpCredentialsWarning(new URL('https://mlflow.example.com'), 'x', 'y')).toBeUndefined();
  });
});
