/**
 * A reply belongs to the process producing it for as long as that process
 * keeps renewing its lease. Only a reply whose lease expired is taken to be
 * abandoned (its process died or lost the store) and may be recovered by
 * another; a process starting beside a live one never touches its replies.
 */
export interface ReplyLease {
  /** The producing process (random per process start). */
  readonly owner: string;
  readonly expiresAt: Date;
}

export const leaseUntil = (owner: string, now: Date, durationMs: number): ReplyLease => ({
  owner,
  expiresAt: new Date(now.getTime() + durationMs),
});

/** Null leases come from rows written before leases existed: nobody owns them. */
export const isLeaseLive = (lease: ReplyLease | null, now: Date): boolean =>
  lease !== null && lease.expiresAt.getTime() > now.getTime();
