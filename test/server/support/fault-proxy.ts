import net from 'node:net';

/** Which traffic an armed cut waits for, and where it cuts. */
export interface CutPlan {
  /** Cut the request (client → server) or the reply (server → client). */
  direction: 'request' | 'response';
  /** Only a connection whose request bytes contain this text (e.g. `POST /api/v1/confirmations/batch`). */
  match?: string;
  /** How many bytes of the chunk to let through before cutting, as a fraction of it [0, 1). */
  fraction: number;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  /** The reply of this connection is to be cut at this fraction of its next chunk. */
  cutReply: number | undefined;
}

/**
 * A TCP proxy between the station and the server that can cut connections mid-request or mid-reply. The
 * station enrolls with the proxy's URL, so the server behind it can restart on another port.
 */
export class FaultProxy {
  backendPort = 0;
  readonly #server = net.createServer((client) => this.#connect(client));
  readonly #pairs = new Set<Pair>();
  #armed: CutPlan | undefined;
  /** Cuts made, by direction. */
  readonly cuts = { request: 0, response: 0 };
  /** Replies that carried a CLOCK_SKEW error (the station's clock was off; its link corrects and resends). */
  clockSkewReplies = 0;
  connections = 0;

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as net.AddressInfo).port}`;
  }

  arm(plan: CutPlan): void {
    this.#armed = plan;
  }

  get armed(): boolean {
    return this.#armed !== undefined;
  }

  disarm(): void {
    this.#armed = undefined;
  }

  async close(): Promise<void> {
    for (const pair of this.#pairs) this.#drop(pair);
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #connect(client: net.Socket): void {
    this.connections += 1;
    const upstream = net.connect(this.backendPort, '127.0.0.1');
    const pair: Pair = { client, upstream, cutReply: undefined };
    this.#pairs.add(pair);
    const drop = () => this.#drop(pair);
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.on('data', (chunk: Buffer) => {
      const plan = this.#armed;
      if (plan && (plan.match === undefined || chunk.includes(plan.match))) {
        this.#armed = undefined;
        if (plan.direction === 'request') {
          this.cuts.request += 1;
          upstream.write(chunk.subarray(0, Math.floor(chunk.length * plan.fraction)), drop);
          return;
        }
        pair.cutReply = plan.fraction;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (chunk.includes('"CLOCK_SKEW"')) this.clockSkewReplies += 1;
      if (pair.cutReply !== undefined) {
        this.cuts.response += 1;
        client.write(chunk.subarray(0, Math.floor(chunk.length * pair.cutReply)), drop);
        return;
      }
      client.write(chunk);
    });
  }

  #drop(pair: Pair): void {
    pair.client.destroy();
    pair.upstream.destroy();
    this.#pairs.delete(pair);
  }
}
