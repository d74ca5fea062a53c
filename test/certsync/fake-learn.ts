import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server that plays Microsoft Learn's transcript share endpoint
 * (GET /api/profiles/transcript/share/<shareId>?locale=en-us). What it answers is decided by the share id:
 * - registered with `setTranscript`: that transcript (200);
 * - `slow…`: answers after `slowMs` (longer than the sync's timeout);
 * - `down…`: 503 every time;
 * - `throttle…`: 429 with Retry-After on the first request, then the registered or an empty transcript;
 * - `shape…`: a body whose shape has changed (certificationData is gone);
 * - `private…`, or unknown when no `defaultTranscript` is given: 404.
 * It counts requests and the most it ever had in flight at once, which the tests hold against the
 * configured concurrency.
 */

export interface FakeCertification {
  name: string;
  certificationNumber?: string;
  status?: string;
  dateEarned: string;
  expiration?: string;
}

export interface FakeLearn {
  url: string;
  requests: number;
  inFlight: number;
  maxInFlight: number;
  setTranscript(shareId: string, certifications: FakeCertification[]): void;
  resetCounters(): void;
  close(): Promise<void>;
}

export async function startFakeLearn(opts: { slowMs?: number; latencyMs?: number; defaultTranscript?: FakeCertification[] } = {}): Promise<FakeLearn> {
  const transcripts = new Map<string, FakeCertification[]>();
  const hits = new Map<string, number>();
  const state = { requests: 0, inFlight: 0, maxInFlight: 0 };
  const server = http.createServer((req, res) => {
    state.requests++;
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    let finished = false;
    const finish = () => {
      if (!finished) {
        finished = true;
        state.inFlight--;
      }
    };
    // A client that gave up (timeout) closes the socket: the request is no longer in flight.
    res.on('close', finish);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (res.destroyed) return finish();
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    const m = /^\/api\/profiles\/transcript\/share\/([^/?]+)/.exec(req.url ?? '');
    const shareId = m ? decodeURIComponent(m[1]!) : '';
    const n = (hits.get(shareId) ?? 0) + 1;
    hits.set(shareId, n);
    const transcript = (certs: FakeCertification[]) => ({ userName: `user-${shareId}`, totalModulesCompleted: 3, certificationData: { totalActiveCertifications: certs.length, activeCertifications: certs } });
    const answer = () => {
      if (!m) return send(404, { error: 'not found' });
      if (shareId.startsWith('slow')) return setTimeout(() => send(200, transcript(transcripts.get(shareId) ?? [])), opts.slowMs ?? 2000);
      if (shareId.startsWith('down')) return send(503, { error: 'Service Unavailable' });
      if (shareId.startsWith('throttle') && n === 1) return send(429, { error: 'Too Many Requests' }, { 'retry-after': '0.2' });
      if (shareId.startsWith('shape')) return send(200, { userName: 'x', certifications: { active: [{ title: 'Azure Administrator Associate' }] } });
      const certs = transcripts.get(shareId) ?? (shareId.startsWith('throttle') ? [] : opts.defaultTranscript);
      if (!certs || shareId.startsWith('private')) return send(404, { error: 'Transcript not found or not shared' });
      return send(200, transcript(certs));
    };
    if (opts.latencyMs) setTimeout(answer, opts.latencyMs);
    else answer();
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    get requests() {
      return state.requests;
    },
    get inFlight() {
      return state.inFlight;
    },
    get maxInFlight() {
      return state.maxInFlight;
    },
    setTranscript: (shareId, certifications) => void transcripts.set(shareId, certifications),
    resetCounters: () => {
      state.requests = 0;
      state.maxInFlight = state.inFlight;
      hits.clear();
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
