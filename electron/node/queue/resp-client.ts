/**
 * A small Redis connection (RESP2 over TCP or TLS) shaped like Bun's built-in
 * `RedisClient`: `send(command, args)`, `connected`, `connect()`, `close()`,
 * `duplicate()` and the `onconnect` / `onclose` callbacks.
 *
 * Why it exists: BullMQ 6 no longer depends on a Redis driver (ioredis and
 * node-redis are optional peers), and HTR Studio installs neither. BullMQ ships a
 * complete adapter for Bun's client (`createBunRedisClient`: Lua scripts,
 * pipelines, MULTI, reconnects with backoff), which needs only this much of a
 * client underneath, so queue mode works with no driver dependency of its own.
 * Replies are decoded as Bun's client decodes them: integers as numbers, bulk and
 * simple strings as strings, nil as null, error replies as rejected `Error`s (as
 * `Error` values inside an EXEC or script array).
 */
import net from 'node:net';
import tls from 'node:tls';

/** Where a queue's Redis is, parsed from a `redis://` or `rediss://` URL (see queue-url.ts). */
export interface RedisTarget {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly username?: string;
  readonly password?: string;
  readonly db: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** A reply still arriving: the parser needs more bytes. */
const INCOMPLETE = Symbol('incomplete');

export class RespClient {
  connected = false;
  onconnect: (() => void) | null | undefined;
  onclose: ((error?: Error) => void) | null | undefined;
  onerror: ((error: Error) => void) | null | undefined;
  private socket: net.Socket | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly pending: Pending[] = [];
  private closing = false;

  constructor(
    readonly target: RedisTarget,
    /** How long a connection attempt may take (TCP, TLS, AUTH, SELECT) before it fails. */
    readonly connectTimeoutMs = 5_000,
    /** CLIENT SETNAME on every (re)connection, so that a name survives a reconnect. */
    readonly name?: string,
  ) {}

  /** For messages: where this client connects, without the password. */
  get url(): string {
    return `${this.target.tls ? 'rediss' : 'redis'}://${this.target.host}:${this.target.port}/${this.target.db}`;
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    this.closing = false;
    const { host, port } = this.target;
    const socket = this.target.tls ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host }) : net.connect({ host, port });
    this.socket = socket;
    socket.setNoDelay(true);
    // A dead peer (a pulled cable, a crashed node) is noticed by TCP keepalive, not only by the lease.
    socket.setKeepAlive(true, 10_000);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy(new Error(`timed out after ${this.connectTimeoutMs / 1000} s`));
      }, this.connectTimeoutMs);
      const fail = (e: Error): void => {
        clearTimeout(timer);
        reject(e);
      };
      socket.once('error', fail);
      socket.once(this.target.tls ? 'secureConnect' : 'connect', () => {
        socket.off('error', fail);
        socket.on('error', (e) => this.onerror?.(e));
        socket.on('close', () => this.onSocketClose(socket));
        // AUTH and SELECT before the connection counts as open.
        this.handshake().then(() => {
          clearTimeout(timer);
          resolve();
        }, (e: Error) => {
          socket.destroy();
          fail(e);
        });
      });
    });
    this.connected = true;
    this.onconnect?.();
  }

  private async handshake(): Promise<void> {
    const { username, password, db } = this.target;
    if (password !== undefined) await this.write('AUTH', username ? [username, password] : [password]);
    if (db) await this.write('SELECT', [String(db)]);
    // Some hosted Redis refuse CLIENT: the name is for `queue status` only.
    if (this.name) await this.write('CLIENT', ['SETNAME', this.name]).catch(() => undefined);
  }

  send<T = unknown>(command: string, args: readonly unknown[]): Promise<T> {
    if (!this.connected) return Promise.reject(new Error('Connection closed'));
    return this.write(command, args) as Promise<T>;
  }

  private write(command: string, args: readonly unknown[]): Promise<unknown> {
    const socket = this.socket;
    if (!socket || socket.destroyed) return Promise.reject(new Error('Connection closed'));
    const parts: Buffer[] = [Buffer.from(`*${args.length + 1}\r\n$${Buffer.byteLength(command)}\r\n${command}\r\n`)];
    for (const a of args) {
      const b = Buffer.isBuffer(a) ? a : Buffer.from(a === undefined || a === null ? '' : String(a));
      parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      socket.write(Buffer.concat(parts));
    });
  }

  // The three convenience commands BullMQ's adapter calls directly.
  get(key: string): Promise<string | null> {
    return this.send('GET', [key]) as Promise<string | null>;
  }

  smembers(key: string): Promise<unknown[]> {
    return this.send('SMEMBERS', [key]) as Promise<unknown[]>;
  }

  incr(key: string): Promise<number> {
    return this.send('INCR', [key]) as Promise<number>;
  }

  /** Closes the connection; commands in flight are rejected with "Connection closed". */
  close(): void {
    this.closing = true;
    this.socket?.destroy();
  }

  /** A new, unconnected client to the same server and database (BullMQ's blocking connection). */
  async duplicate(): Promise<this> {
    return new RespClient(this.target, this.connectTimeoutMs, this.name) as this;
  }

  private onSocketClose(socket: net.Socket): void {
    if (socket !== this.socket) return;
    const wasConnected = this.connected;
    this.connected = false;
    this.socket = undefined;
    this.buffer = Buffer.alloc(0);
    const error = new Error('Connection closed');
    for (const p of this.pending.splice(0)) p.reject(error);
    if (wasConnected) this.onclose?.(this.closing ? undefined : error);
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    let offset = 0;
    for (;;) {
      let parsed: Parsed;
      try {
        parsed = parseReply(this.buffer, offset);
      } catch (e) {
        // Not Redis on the other end (or a protocol we do not speak): fail every waiter.
        this.socket?.destroy(e as Error);
        return;
      }
      if (parsed === INCOMPLETE) break;
      offset = parsed.end;
      const waiter = this.pending.shift();
      if (!waiter) continue; // a reply nobody waits for (cannot happen without pub/sub): dropped
      if (parsed.value instanceof Error) waiter.reject(parsed.value);
      else waiter.resolve(parsed.value);
    }
    this.buffer = offset ? this.buffer.subarray(offset) : this.buffer;
  }
}

type Parsed = { value: unknown; end: number } | typeof INCOMPLETE;

/** One RESP2 reply starting at `offset`, or INCOMPLETE when its bytes have not all arrived. */
function parseReply(buf: Buffer, offset: number): Parsed {
  if (offset >= buf.length) return INCOMPLETE;
  const lineEnd = buf.indexOf('\r\n', offset);
  if (lineEnd < 0) return INCOMPLETE;
  const type = String.fromCharCode(buf[offset]!);
  const line = buf.toString('utf8', offset + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, end: next };
    case '-':
      return { value: new Error(line), end: next };
    case ':':
      return { value: Number(line), end: next };
    case '$': {
      const len = Number(line);
      if (len < 0) return { value: null, end: next };
      if (buf.length < next + len + 2) return INCOMPLETE;
      return { value: buf.toString('utf8', next, next + len), end: next + len + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: unknown[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, at);
        if (item === INCOMPLETE) return INCOMPLETE;
        items.push(item.value);
        at = item.end;
      }
      return { value: items, end: at };
    }
    default:
      throw new Error(`unexpected reply from Redis (type byte ${JSON.stringify(type)})`);
  }
}
