import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * The demo panel's "cut the network": a loopback TCP relay between the terminal's platform client and the
 * sandbox platform. Offline, it stops listening (new connections are refused: the client sees ECONNREFUSED,
 * exactly what an unplugged cable gives) and drops every open connection (a request in flight loses its
 * answer: outcome unknown, reversal path). Online, it listens again on the same port. Nothing in the client
 * or the sandbox knows it is there, so what the demo shows is what a real outage does.
 */
export class NetworkSwitch {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private online = true;

  private constructor(private readonly target: { host: string; port: number }) {}

  static async start(targetUrl: string): Promise<NetworkSwitch> {
    const u = new URL(targetUrl);
    if (u.hostname !== '127.0.0.1') throw new Error(`the network switch relays to loopback only, not ${u.hostname}`);
    const sw = new NetworkSwitch({ host: u.hostname, port: Number(u.port || 80) });
    await sw.listen(0);
    return sw;
  }

  /** The platform URL the client should use (same path as the target). */
  urlFor(targetUrl: string): string {
    const u = new URL(targetUrl);
    u.port = String(this.port);
    return u.toString();
  }

  get isOnline(): boolean {
    return this.online;
  }

  async setOnline(online: boolean): Promise<void> {
    if (online === this.online) return;
    this.online = online;
    if (online) {
      await this.listen(this.port);
    } else {
      const server = this.server;
      this.server = null;
      for (const s of this.sockets) s.destroy();
      this.sockets.clear();
      if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  async close(): Promise<void> {
    this.online = false;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private listen(port: number): Promise<void> {
    const server = createServer((client) => this.relay(client));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        if (address && typeof address === 'object') this.port = address.port;
        this.server = server;
        resolve();
      });
    });
  }

  private relay(client: Socket): void {
    if (!this.online) {
      client.destroy();
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
