import { connect, type Socket } from 'node:net';

/** An event baresip's ctrl_tcp module reports (`{"event":true,"type":"CALL_ESTABLISHED",...}`). */
export interface BaresipEvent {
  readonly type: string;
  readonly class?: string;
  readonly peeruri?: string;
  readonly param?: string;
  readonly [key: string]: unknown;
}

interface Pending {
  resolve(data: string): void;
  reject(error: Error): void;
}

/** Longest netstring accepted from baresip (events and responses are a few hundred bytes). */
const MAX_NETSTRING = 64 * 1024;

/**
 * A client of baresip's ctrl_tcp module: commands go as netstring-framed
 * JSON (`{"command":"dial","params":"sip:*97@acme.test","token":"1"}`), the
 * same commands as the menu module's long names (`dial`, `hangup`,
 * `sndcode` to send DTMF in the current call); responses come back with
 * the token, and call events (CALL_ESTABLISHED, CALL_CLOSED, ...) arrive
 * unasked on the same connection.
 */
export class BaresipControl {
  private buffer = Buffer.alloc(0);
  private token = 0;
  private readonly pending = new Map<string, Pending>();
  private readonly waiters: { match: (e: BaresipEvent) => boolean; resolve: (e: BaresipEvent) => void }[] =
    [];
  readonly events: BaresipEvent[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('baresip control connection closed'));
      this.pending.clear();
    });
    socket.on('error', () => undefined);
  }

  /** Connects to `ctrl_tcp_listen`, retrying while baresip starts (bounded by `timeout_ms`). */
  static async connect(port: number, timeout_ms = 10_000): Promise<BaresipControl> {
    const until = Date.now() + timeout_ms;
    for (;;) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect(port, '127.0.0.1', () => resolve(s));
          s.once('error', reject);
        });
        return new BaresipControl(socket);
      } catch (error) {
        if (Date.now() > until) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 0) {
        if (this.buffer.length > 10) this.socket.destroy(new Error('bad netstring from baresip'));
        return;
      }
      const length = Number(this.buffer.subarray(0, colon).toString('ascii'));
      if (!Number.isInteger(length) || length < 0 || length > MAX_NETSTRING) {
        this.socket.destroy(new Error('bad netstring length from baresip'));
        return;
      }
      if (this.buffer.length < colon + 1 + length + 1) return;
      const text = this.buffer.subarray(colon + 1, colon + 1 + length).toString('utf8');
      this.buffer = this.buffer.subarray(colon + 1 + length + 1);
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(text) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (message.response === true && typeof message.token === 'string') {
        const pending = this.pending.get(message.token);
        this.pending.delete(message.token);
        if (message.ok === false) pending?.reject(new Error(`baresip: ${String(message.data)}`));
        else pending?.resolve(typeof message.data === 'string' ? message.data : '');
      } else if (message.event === true) {
        const event = message as unknown as BaresipEvent;
        this.events.push(event);
        for (const waiter of this.waiters.splice(0)) {
          if (waiter.match(event)) waiter.resolve(event);
          else this.waiters.push(waiter);
        }
      }
    }
  }

  /** Runs a command (`dial`, `hangup`, `sndcode`, ...); resolves with its output. */
  command(command: string, params = ''): Promise<string> {
    const token = String(++this.token);
    const json = Buffer.from(JSON.stringify({ command, params, token }), 'utf8');
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(token);
        reject(new Error(`baresip did not answer ${command}`));
      }, 5000);
      this.pending.set(token, {
        resolve: (data) => {
          clearTimeout(timer);
          resolve(data);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.socket.write(Buffer.concat([Buffer.from(`${json.length}:`), json, Buffer.from(',')]));
    });
  }

  /** The next event of `type` (or one already seen after `since`), waiting at most `timeout_ms`. */
  waitFor(type: string, timeout_ms: number, since = 0): Promise<BaresipEvent> {
    const seen = this.events.slice(since).find((e) => e.type === type);
    if (seen) return Promise.resolve(seen);
    return new Promise<BaresipEvent>((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(
          new Error(
            `no ${type} from baresip within ${timeout_ms} ms (saw ${this.events.map((e) => e.type).join(', ')})`,
          ),
        );
      }, timeout_ms);
      const waiter = {
        match: (e: BaresipEvent) => e.type === type,
        resolve: (e: BaresipEvent) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /**
   * Presses keys in the current call, one `sndcode` each (RFC 4733 events
   * while the key is down, then the release), `gap_ms` apart.
   */
  async press(keys: string, gap_ms = 400): Promise<void> {
    for (const key of keys) {
      await this.command('sndcode', key);
      await new Promise((r) => setTimeout(r, gap_ms));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
