import net from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The body as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/**
 * Sends bytes as they are over one TCP connection and reads one HTTP/1.1 response: for requests fetch() will not send
 * (unknown methods, raw non-ASCII paths, malformed headers, broken chunked framing). The response must carry a
 * content-length (every response of the local host does) or end with the connection.
 */
export function rawRequest(url: string, request: Buffer | string, opts: { timeoutMs?: number; head?: boolean } = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let data = Buffer.alloc(0);
    let done = false;
    const finish = (e?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (e) return reject(e);
      const parsed = parse(data, opts.head === true, true);
      if (!parsed) return reject(new Error(`no complete HTTP response; got ${JSON.stringify(data.subarray(0, 200).toString('latin1'))}`));
      resolve(parsed);
    };
    const timer = setTimeout(() => finish(new Error(`no response within ${opts.timeoutMs ?? 15_000} ms`)), opts.timeoutMs ?? 15_000);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (parse(data, opts.head === true, false)) finish();
    });
    // A server may close after answering while the request is still being written.
    socket.on('error', (e) => (parse(data, opts.head === true, true) ? finish() : finish(e)));
    socket.on('close', () => finish());
  });
}

function parse(data: Buffer, head: boolean, ended: boolean): RawResponse | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const lines = data.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!m) return undefined;
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const rest = data.subarray(end + 4);
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  let body: Buffer;
  if (head) body = Buffer.alloc(0);
  else if (length !== undefined) {
    if (rest.length < length) return undefined;
    body = rest.subarray(0, length);
  } else if (ended) body = rest;
  else return undefined;
  let json: unknown;
  try {
    json = body.length ? JSON.parse(body.toString('utf8')) : undefined;
  } catch {
    json = undefined;
  }
  return { status: Number(m[1]), headers, body, json };
}

/** A request as bytes: the request line and headers one byte per character (latin1, so any byte can be sent), then the body. */
export function rawMessage(method: string, target: string, headers: [string, string][], body?: Buffer | string): Buffer {
  const head = [`${method} ${target} HTTP/1.1`, ...headers.map(([k, v]) => `${k}: ${v}`)].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), typeof body === 'string' ? Buffer.from(body, 'utf8') : (body ?? Buffer.alloc(0))]);
}
