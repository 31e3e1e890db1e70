/**
 * At most one pending retry of `run` after `delayMs` (a new schedule replaces the pending one); it
 * does not keep the process alive. For the LISTEN connections that reconnect by themselves.
 */
export class RetryTimer {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly delayMs: number,
    private readonly run: () => void,
  ) {}

  schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(this.run, this.delayMs);
    this.timer.unref();
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
