import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Link } from '@opentelemetry/api';

/**
 * Trace context carried through queue messages, so a webhook delivery, the apply step it queues and the recompute
 * that step asks for share one operation id in Application Insights (issue 18). The Functions host starts a new
 * trace for every queue-triggered invocation (storage queues carry no trace context of their own), so the sender
 * writes its W3C `traceparent` into the message body and the receiving function runs its handler in a span that
 * continues that trace, linked to the invocation's own.
 *
 * Without a registered tracer provider (locally: no APPLICATIONINSIGHTS_CONNECTION_STRING) the propagator is a
 * no-op: no field is added and handlers run exactly as before.
 */

/** The body field that carries the sender's trace; removed before the handler sees the message. */
export const TRACE_FIELD = 'traceparent';

const W3C_TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** The active trace as a W3C traceparent, or undefined when nothing is being traced. */
export function activeTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent && W3C_TRACEPARENT.test(carrier.traceparent) ? carrier.traceparent : undefined;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The bodies with the active trace added to each object body (others are sent as they are). */
export function withTrace<T>(bodies: readonly T[]): T[] {
  const traceparent = activeTraceparent();
  if (!traceparent) return [...bodies];
  return bodies.map((b) => (isPlainObject(b) && !(TRACE_FIELD in b) ? ({ ...b, [TRACE_FIELD]: traceparent } as T) : b));
}

/**
 * Wraps a queue-triggered handler: takes the sender's trace out of the message and runs the handler in a consumer
 * span of that trace. A message without one (sent before this existed, or by another tool) runs in the invocation's
 * own trace, as before.
 */
export function continueTrace<A extends unknown[], R>(name: string, handler: (message: unknown, ...rest: A) => Promise<R>): (message: unknown, ...rest: A) => Promise<R> {
  return async (message: unknown, ...rest: A) => {
    if (!isPlainObject(message) || !(TRACE_FIELD in message)) return handler(message, ...rest);
    const { [TRACE_FIELD]: traceparent, ...body } = message;
    if (typeof traceparent !== 'string' || !W3C_TRACEPARENT.test(traceparent)) return handler(body, ...rest);
    const parent = propagation.extract(ROOT_CONTEXT, { traceparent });
    const invocation = trace.getSpanContext(context.active());
    const links: Link[] = invocation ? [{ context: invocation }] : [];
    const span = trace.getTracer('pcs-tracker').startSpan(`${name} message`, { kind: SpanKind.CONSUMER, links }, parent);
    try {
      return await context.with(trace.setSpan(parent, span), () => handler(body, ...rest));
    } catch (e) {
      span.recordException(e as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw e;
    } finally {
      span.end();
    }
  };
}
