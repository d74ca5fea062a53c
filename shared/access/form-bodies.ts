/**
 * Content types a cross-site HTML form (or a fetch without preflight) can send: a web page the user happens to open
 * can post these to any site, with the user's Easy Auth session cookie, so no route that changes state takes them.
 * A body without a content type can be sent too, but only with an Origin header, and webhook senders often leave
 * the type out, so it is not refused here.
 */
const FORM_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'];

export function formBodyRefusal(method: string, contentType: string): { status: 415; error: 'UnsupportedMediaType'; message: string } | undefined {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (!FORM_TYPES.includes(type)) return undefined;
  return { status: 415, error: 'UnsupportedMediaType', message: `A ${method} body must be sent as application/json, not ${type}: form and plain-text bodies are refused so that no web page can post here.` };
}
