import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Requests Node's HTTP parser refuses never reach a route, and Node answers them with an empty body. The API promises
 * a JSON error body for every error, so the host answers these itself, from the parser's error code.
 */

export interface ParserErrorAnswer {
  status: number;
  error: string;
  message: string;
}

/** The parser's error as Node raises it on `clientError`: `code` (HPE_*), `reason`, and the bytes it had read. */
export interface ClientError extends Error {
  code?: string;
  reason?: string;
  rawPacket?: Buffer;
}

const FRAMING = new Set([
  'HPE_UNEXPECTED_CONTENT_LENGTH',
  'HPE_INVALID_CONTENT_LENGTH',
  'HPE_INVALID_TRANSFER_ENCODING',
  'HPE_INVALID_CHUNK_SIZE',
  'HPE_CHUNK_EXTENSIONS_OVERFLOW',
  'HPE_INVALID_EOF_STATE',
]);

/** What to answer for a parser error, or undefined when there is no one to answer (the client hung up). */
export function answerParserError(err: ClientError, maxHeaderBytes: number): ParserErrorAnswer | undefined {
  const code = err.code ?? '';
  const reason = err.reason ?? err.message;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, error: 'RequestTimeout', message: 'The request did not arrive in time; send it again.' };
  if (!code.startsWith('HPE_')) return undefined;
  if (code === 'HPE_HEADER_OVERFLOW') {
    // The limit covers the request line and the headers together; blame the URL when it is most of it.
    const raw = err.rawPacket ?? Buffer.alloc(0);
    const lineEnd = raw.indexOf('\r\n');
    const lineBytes = lineEnd === -1 ? raw.length : lineEnd;
    if (lineBytes > maxHeaderBytes / 2) return { status: 414, error: 'URITooLong', message: `The URL is longer than this server accepts (the request line and headers together at most ${maxHeaderBytes} bytes); send long input in a body.` };
    return { status: 431, error: 'RequestHeaderFieldsTooLarge', message: `The request headers are larger than this server accepts (at most ${maxHeaderBytes} bytes with the request line).` };
  }
  if (code === 'HPE_INVALID_METHOD') return { status: 501, error: 'NotImplemented', message: 'The request method is not one this server knows; the API uses GET, POST, PUT and DELETE (upper case).' };
  if (code === 'HPE_INVALID_VERSION') return { status: 505, error: 'HTTPVersionNotSupported', message: 'The HTTP version is not supported; use HTTP/1.1.' };
  if (code === 'HPE_INVALID_URL') return { status: 400, error: 'BadRequest', message: `The URL is invalid (${reason}): percent-encode every character outside printable ASCII, e.g. é as %C3%A9.` };
  if (code === 'HPE_INVALID_HEADER_TOKEN') return { status: 400, error: 'BadRequest', message: `A header is invalid (${reason}): header names are tokens, and values hold no control characters.` };
  if (FRAMING.has(code)) return { status: 400, error: 'BadRequest', message: `The body's framing is invalid (${reason}): send one Content-Length or Transfer-Encoding: chunked, not both, with valid sizes.` };
  return { status: 400, error: 'BadRequest', message: `The request is not valid HTTP/1.1 (${reason}).` };
}

function bodyOf(answer: ParserErrorAnswer): string {
  return JSON.stringify({ error: answer.error, message: answer.message });
}

/**
 * Answers on the socket and closes it. When the parser failed inside a request's body, a response to that request
 * already exists: it is used (so it is not answered twice); a response already under way can only be cut off.
 */
export function respondToParserError(err: ClientError, socket: Duplex, maxHeaderBytes: number): ParserErrorAnswer | undefined {
  const answer = answerParserError(err, maxHeaderBytes);
  const pending = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage ?? undefined;
  if (!answer || !socket.writable || pending?.headersSent) {
    socket.destroy();
    return undefined;
  }
  const body = bodyOf(answer);
  if (pending) {
    pending.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
    pending.end(body);
    return answer;
  }
  respondRaw(socket, answer);
  return answer;
}

/** Writes a whole HTTP/1.1 response on a socket no ServerResponse owns, and closes it. */
export function respondRaw(socket: Duplex, answer: ParserErrorAnswer): void {
  const body = bodyOf(answer);
  socket.end(
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? 'Error'}\r\n` +
      `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n${body}`,
  );
}
