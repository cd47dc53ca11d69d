import { createServer, type Server, Socket } from 'node:net';

/**
 * A TCP proxy in front of a test IMAP server that can rewrite or drop the server's response lines,
 * to imitate servers Dovecot will not imitate: one whose IDLE goes quiet, one without custom
 * keywords. Literals ({N} then N raw bytes) pass through untouched.
 */
export interface ImapProxy {
  readonly port: number;
  close(): Promise<void>;
}

export async function startImapProxy(
  upstreamPort: number,
  /** Return the line to send (CRLF included), or null to drop it. */
  rewrite: (line: string) => string | null,
): Promise<ImapProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    sockets.add(client);
    sockets.add(upstream);
    let pending = Buffer.alloc(0);
    let literalLeft = 0;
    upstream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (literalLeft > 0) {
          const take = Math.min(literalLeft, pending.length);
          if (take === 0) return;
          client.write(pending.subarray(0, take));
          pending = pending.subarray(take);
          literalLeft -= take;
          continue;
        }
        const eol = pending.indexOf('\r\n');
        if (eol < 0) return;
        const line = pending.subarray(0, eol + 2).toString('latin1');
        pending = pending.subarray(eol + 2);
        const literal = /\{(\d+)\}\r\n$/.exec(line);
        if (literal) {
          literalLeft = Number(literal[1]);
          client.write(Buffer.from(line, 'latin1'));
          continue;
        }
        const out = rewrite(line);
        if (out !== null) client.write(Buffer.from(out, 'latin1'));
      }
    });
    client.on('data', (d: Buffer) => upstream.write(d));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
    upstream.connect(upstreamPort, '127.0.0.1');
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((res) => server.close(() => res()));
    },
  };
}
