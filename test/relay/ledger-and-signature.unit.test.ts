import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DeliveryLedger } from '../../packages/webhook-relay/src/delivery-ledger.js';
import { verifyDelivery } from '../../packages/webhook-relay/src/signature.js';

const SECRET = 'unit-secret';
const NOW = 1_790_000_000;
const body = Buffer.from('{"entity":"model_version","action":"created","data":{"name":"m","version":"1"}}');
const sign = (secret: string, id: string, ts: string, raw: Buffer) =>
  createHmac('sha256', secret)
    .update(Buffer.concat([Buffer.from(`${id}.${ts}.`), raw]))
    .digest('base64');
const good = {
  deliveryId: 'd-1',
  timestamp: String(NOW),
  signature: `v1,${sign(SECRET, 'd-1', String(NOW), body)}`,
  rawBody: body,
};

describe('verifyDelivery', () => {
  it.each([
    ['a good signature', good, { ok: true, deliveryId: 'd-1', timestampSeconds: NOW }],
    ['one of several signatures (rotation)', { ...good, signature: `v1,AAAA ${good.signature}` }, { ok: true }],
    [
      'a v2 prefix',
      { ...good, signature: good.signature.replace('v1,', 'v2,') },
      { ok: false, reason: 'signature does not match' },
    ],
    [
      'a truncated signature',
      { ...good, signature: good.signature.slice(0, -4) },
      { ok: false, reason: 'signature does not match' },
    ],
    ['not base64', { ...good, signature: 'v1,!!!' }, { ok: false, reason: 'signature does not match' }],
    ['another delivery id', { ...good, deliveryId: 'd-2' }, { ok: false, reason: 'signature does not match' }],
    ['a changed byte', { ...good, rawBody: Buffer.from(body.toString().replace('m', 'n')) }, { ok: false }],
    [
      'a timestamp that is not seconds',
      { ...good, timestamp: '2026-12-01' },
      { ok: false, reason: 'X-MLflow-Timestamp is not Unix seconds' },
    ],
    [
      'an id with a space',
      { ...good, deliveryId: 'a b' },
      { ok: false, reason: 'X-MLflow-Delivery-Id is not a short printable id' },
    ],
    [
      'no delivery id',
      { ...good, deliveryId: undefined },
      { ok: false, reason: 'missing X-MLflow-Delivery-Id header' },
    ],
  ])('%s', (_what, delivery, verdict) => {
    expect(verifyDelivery(delivery, SECRET, 300, NOW)).toMatchObject(verdict);
  });

  it('holds the window at exactly the tolerance, both ways', () => {
    for (const [ts, ok] of [
      [NOW - 300, true],
      [NOW - 301, false],
      [NOW + 300, true],
      [NOW + 301, false],
    ] as const) {
      const d = { ...good, timestamp: String(ts), signature: `v1,${sign(SECRET, 'd-1', String(ts), body)}` };
      expect(verifyDelivery(d, SECRET, 300, NOW).ok, String(ts - NOW)).toBe(ok);
    }
  });
});

describe('DeliveryLedger', () => {
  it('takes an id once, forgets it after the window, and reports full instead of forgetting early', () => {
    const ledger = new DeliveryLedger(300, 2);
    expect(ledger.claim('a', NOW, NOW)).toBe('new');
    expect(ledger.claim('a', NOW, NOW + 1)).toBe('duplicate');
    expect(ledger.claim('b', NOW, NOW + 1)).toBe('new');
    // Both are still inside the window: a third cannot push one out, or a replay of it would pass.
    expect(ledger.claim('c', NOW, NOW + 2)).toBe('full');
    // Past the window 'a' and 'b' would be refused as stale anyway, so they are forgotten.
    expect(ledger.claim('c', NOW + 400, NOW + 400)).toBe('new');
    expect(ledger.size).toBe(1);
  });
});
