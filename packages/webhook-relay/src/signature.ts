import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * MLflow's webhook signature (mlflow/webhooks/delivery.py, after Standard Webhooks):
 *   X-MLflow-Signature: v1,<base64 HMAC-SHA256(secret, "<delivery id>.<timestamp>.<raw body>")>
 * The HMAC runs over the body's raw bytes: re-serialising parsed JSON would change them.
 */
export const SIGNATURE_HEADER = 'x-mlflow-signature';
export const TIMESTAMP_HEADER = 'x-mlflow-timestamp';
export const DELIVERY_ID_HEADER = 'x-mlflow-delivery-id';

export interface SignedDelivery {
  deliveryId: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
}

export type Verdict = { ok: true; deliveryId: string; timestampSeconds: number } | { ok: false; reason: string };

// MLflow sends a UUID; anything printable and short is accepted so another sender's ids also work.
const DELIVERY_ID = /^[\x21-\x7e]{1,128}$/;

export function verifyDelivery(
  d: SignedDelivery,
  secret: string,
  toleranceSeconds: number,
  nowSeconds = Date.now() / 1000,
): Verdict {
  if (!d.deliveryId) return { ok: false, reason: 'missing X-MLflow-Delivery-Id header' };
  if (!DELIVERY_ID.test(d.deliveryId)) return { ok: false, reason: 'X-MLflow-Delivery-Id is not a short printable id' };
  if (!d.timestamp) return { ok: false, reason: 'missing X-MLflow-Timestamp header' };
  if (!/^\d{1,12}$/.test(d.timestamp)) return { ok: false, reason: 'X-MLflow-Timestamp is not Unix seconds' };
  if (!d.signature) return { ok: false, reason: 'missing X-MLflow-Signature header (is a secret set on the webhook?)' };

  const expected = createHmac('sha256', secret).update(`${d.deliveryId}.${d.timestamp}.`).update(d.rawBody).digest();
  // Standard Webhooks allows several space-separated signatures (secret rotation); any v1 match wins.
  const matches = d.signature
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .some((s) => sameBytes(Buffer.from(s.slice(3), 'base64'), expected));
  if (!matches) return { ok: false, reason: 'signature does not match' };

  // Checked after the signature, so only a genuine but old (or early) delivery is told it is stale.
  const timestampSeconds = Number(d.timestamp);
  if (Math.abs(nowSeconds - timestampSeconds) > toleranceSeconds) {
    return { ok: false, reason: `timestamp outside the ${toleranceSeconds} s window (replayed, or clocks disagree)` };
  }
  return { ok: true, deliveryId: d.deliveryId, timestampSeconds };
}

/** Constant-time for equal lengths; a length mismatch says nothing about the secret. */
function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
