/**
 * Remembers the delivery ids already taken, so a delivery MLflow retries (or anyone replays) is
 * relayed once. An id need only be kept while its timestamp is inside the verification window:
 * after that the same delivery is refused as stale anyway, so memory stays bounded by traffic in
 * one window rather than growing forever.
 */
export class DeliveryLedger {
  private readonly expiry = new Map<string, number>(); // delivery id -> forget after (Unix seconds)
  private lastPrune = 0;

  constructor(
    private readonly toleranceSeconds: number,
    private readonly maxEntries = 100_000,
  ) {}

  /** 'new' the first time an id is seen, 'duplicate' after; 'full' when too many are held to add one. */
  claim(deliveryId: string, timestampSeconds: number, nowSeconds = Date.now() / 1000): 'new' | 'duplicate' | 'full' {
    if (this.expiry.has(deliveryId)) return 'duplicate';
    if (this.expiry.size >= this.maxEntries || nowSeconds - this.lastPrune > 10) this.prune(nowSeconds);
    if (this.expiry.size >= this.maxEntries) return 'full';
    this.expiry.set(deliveryId, timestampSeconds + this.toleranceSeconds + 1);
    return 'new';
  }

  get size(): number {
    return this.expiry.size;
  }

  private prune(nowSeconds: number): void {
    this.lastPrune = nowSeconds;
    for (const [id, forgetAfter] of this.expiry) if (forgetAfter < nowSeconds) this.expiry.delete(id);
  }
}
