import type { z } from 'zod';

/** Turns zod issues into `{ path, message }` pairs with dotted paths a person can find in their payload. */
export function zodDetails(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({
    path: i.path.length ? i.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[') : '(body)',
    message: i.message,
  }));
}
