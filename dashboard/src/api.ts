/**
 * The app's own API, same origin only. Who the caller is comes from what is in front of the app: Easy Auth's
 * session in Azure, LOCAL_PRINCIPAL or the function key locally. The key, when the caller types it (or opens the
 * link `npm start` prints, which carries it in the fragment, never sent to the server), is kept in sessionStorage:
 * it lasts as long as the tab and is sent only as x-functions-key to this origin.
 */
const KEY_ITEM = 'pcs.functionKey';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function storedKey(): string | undefined {
  try {
    return sessionStorage.getItem(KEY_ITEM) ?? undefined;
  } catch {
    return undefined;
  }
}

export function storeKey(key: string | undefined): void {
  if (key) sessionStorage.setItem(KEY_ITEM, key);
  else sessionStorage.removeItem(KEY_ITEM);
}

/** Moves a key given in the page's fragment (`#key=...`) into sessionStorage and out of the address bar. */
export function adoptKeyFromFragment(): void {
  const m = /(?:^#|&)key=([^&]+)/.exec(location.hash);
  if (!m) return;
  storeKey(decodeURIComponent(m[1]!));
  history.replaceState(null, '', `${location.pathname}${location.search}#/`);
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const key = storedKey();
  if (key) headers['x-functions-key'] = key;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/${path}`, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'Unreachable', 'The app does not answer. Is it running? Start it with `npm start` and reload this page.');
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = (json ?? {}) as { error?: string; message?: string };
    throw new ApiError(res.status, e.error ?? `HTTP ${res.status}`, e.message ?? `The API answered ${res.status}.`);
  }
  return json as T;
}

export const get = <T>(path: string) => call<T>('GET', path);
export const post = <T>(path: string, body: unknown) => call<T>('POST', path, body);
export const partnerPath = (partnerId: string, rest = '') => `partners/${encodeURIComponent(partnerId)}${rest}`;

/** Runs `fn` over the items with at most `limit` at once (a distributor's 500 partners are 500 score reads). */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
