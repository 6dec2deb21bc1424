import { EventEmitter } from 'node:events';
import type { ProvisioningRepository } from '@telekommune/pbx';
import type { Logger } from './logger.js';

/**
 * Notices configuration changes made by any process sharing the database
 * (the CLI's `apply`, another node, the API) by polling the revision
 * counter, and emits `change` so in-memory caches reload.
 */
export class ConfigWatcher extends EventEmitter<{ change: [revision: number] }> {
  private timer: NodeJS.Timeout | undefined;
  private revision = -1;
  private polling = false;

  constructor(
    private readonly repository: ProvisioningRepository,
    private readonly logger: Logger,
    private readonly interval_ms = 1000,
  ) {
    super();
  }

  async start(): Promise<void> {
    this.revision = await this.repository.configRevision();
    this.timer = setInterval(() => void this.poll(), this.interval_ms);
    this.timer.unref();
  }

  /** Checks now; also called after this process changes the configuration itself. */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const revision = await this.repository.configRevision();
      if (revision !== this.revision) {
        this.revision = revision;
        this.emit('change', revision);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'could not read the configuration revision');
    } finally {
      this.polling = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
