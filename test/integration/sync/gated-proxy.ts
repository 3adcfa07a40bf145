import net from 'node:net';

/**
 * A TCP proxy in front of the sandbox that can make the platform unreachable (connections refused, as when the
 * hospital's network drops) at an exact point: right after the platform dropped the answer to a request whose
 * body holds `marker`, before the client's inline 2601 can connect. `reopen()` listens on the same port again.
 */
export class GatedProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private marker: string | null = null;
  port = 0;

  constructor(private readonly upstreamPort: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** The next connection whose request holds `marker` and whose upstream then closes cuts the network. */
  cutAfter(marker: string): void {
    this.marker = marker;
  }

  async open(): Promise<void> {
    const server = net.createServer((client) => this.relay(client));
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Refuses new connections and drops every open one. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  reopen(): Promise<void> {
    return this.open();
  }

  close(): Promise<void> {
    return this.cut();
  }

  private relay(client: net.Socket): void {
    const upstream = net.connect(this.upstreamPort, '127.0.0.1');
    this.sockets.add(client).add(upstream);
    let marked = false;
    client.on('data', (chunk: Buffer) => {
      if (this.marker && chunk.includes(this.marker)) {
        marked = true;
        this.marker = null;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const drop = () => {
      this.sockets.delete(client);
      this.sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
      if (marked) void this.cut();
    };
    client.on('close', drop).on('error', drop);
    upstream.on('close', drop).on('error', drop);
  }
}
