// The two checks the hostile-text and masking tests rely on must catch what they are for.
import { describe, expect, it } from 'vitest';
import { injectedCommands } from '../helpers/injected.js';
import { maskProblems } from '../helpers/mask-order.js';

describe('injectedCommands', () => {
  it('finds raw commands, indented ones, ##[ ] ones and an obeyed stop-commands', () => {
    const raw = ['  ::warning::X1', '##[error]X2', '::set-output name=X3::v', '::stop-commands::X4', 'text'].join('\n');
    expect(injectedCommands(raw, 'X')).toEqual(['warning: X1', 'error: X2', 'set-output: v', 'stop-commands: X4']);
  });

  it("finds nothing inside the step's own stop-commands block", () => {
    const safe = ['::stop-commands::f00d', '::warning::X1', '::stop-commands::X4', '::f00d::', 'done'].join('\n');
    expect(injectedCommands(safe, 'X')).toEqual([]);
  });
});

describe('maskProblems', () => {
  it('accepts every credential masked before any other line', () => {
    expect(maskProblems({ stdout: '::add-mask::s3cret\nusing s3cret\n', stderr: '' }, ['s3cret'])).toEqual([]);
  });

  it('reports a mask that comes late, one that is missing, and a credential on stderr', () => {
    expect(maskProblems({ stdout: 'starting\n::add-mask::s3cret\n', stderr: '' }, ['s3cret'])).toHaveLength(1);
    expect(maskProblems({ stdout: 'token s3cret\n', stderr: '' }, ['s3cret'])[0]).toMatch(/printed raw on line 1/);
    expect(maskProblems({ stdout: '::add-mask::s3cret\n', stderr: 's3cret' }, ['s3cret'])).toEqual([
      'credential s3cr… is printed on stderr',
    ]);
  });
});
