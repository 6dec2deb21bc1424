/**
 * RFC 4028 session timer for a call: if no refresh (a successful re-INVITE
 * or UPDATE) passes within the session interval, the session is considered
 * dead and `expire` runs. §10: the non-refresher tears down at
 * interval - min(32, interval/3).
 */
export class SessionTimer {
  private timer: NodeJS.Timeout | undefined;
  private readonly wait_ms: number;

  constructor(
    interval_ms: number,
    private readonly expire: () => void,
  ) {
    this.wait_ms = interval_ms - Math.min(32_000, interval_ms / 3);
    this.refresh();
  }

  refresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(this.expire, this.wait_ms);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
