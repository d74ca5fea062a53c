import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSettings } from '../../shared/config/settings';
import { getQueueService } from '../../shared/queues/client';
import { sendMessages } from '../../shared/queues/send';
import { continueTrace, TRACE_FIELD } from '../../shared/queues/trace';
import { useIsolatedStores } from '../helpers/emulators';

/**
 * One operation id from the webhook request through the queue to the recompute (issue 18): messages sent while a
 * trace is active carry its traceparent through Azurite, and the receiving handler runs in a span of that trace,
 * linked to the invocation's own, with the field taken out of the message it parses.
 */
describe('trace context through queue messages', () => {
  useIsolatedStores();
  const exporter = new InMemorySpanExporter();
  let provider: NodeTracerProvider;

  beforeAll(() => {
    provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.register();
  });
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  const receiveOne = async (queueName: string) => {
    const client = getQueueService(getSettings()).getQueueClient(queueName);
    const { receivedMessageItems: [m] } = await client.receiveMessages({ numberOfMessages: 1 });
    return JSON.parse(Buffer.from(m!.messageText, 'base64').toString('utf8')) as Record<string, unknown>;
  };

  it('carries the trace of the webhook request to the apply step and on to the recompute', async () => {
    const tracer = trace.getTracer('test');
    const eventsQueue = `trace-events-${Date.now()}`;
    const recomputeQueue = `trace-recompute-${Date.now()}`;
    // The webhook request: the host's trace for the HTTP invocation.
    const request = tracer.startSpan('POST /api/webhooks/crm');
    await context.with(trace.setSpan(context.active(), request), () => sendMessages(eventsQueue, [{ kind: 'webhook-delivery', receiptId: 'r1' }]));
    const delivered = await receiveOne(eventsQueue);
    expect(delivered[TRACE_FIELD]).toBe(`00-${request.spanContext().traceId}-${request.spanContext().spanId}-01`);

    // The apply step: the host starts a trace of its own for the queue invocation; the handler continues the request's.
    let parsed: unknown;
    let inside: string | undefined;
    const invocation = tracer.startSpan('applyEvents invocation');
    await context.with(trace.setSpan(context.active(), invocation), () =>
      continueTrace('applyEvents', async (m: unknown) => {
        parsed = m;
        inside = trace.getActiveSpan()?.spanContext().traceId;
        await sendMessages(recomputeQueue, [{ partnerId: 'p1', reason: 'state-change' }]);
      })(delivered),
    );
    expect(parsed).toEqual({ kind: 'webhook-delivery', receiptId: 'r1' });
    expect(inside).toBe(request.spanContext().traceId);
    const consumer = exporter.getFinishedSpans().find((s) => s.name === 'applyEvents message')!;
    expect(consumer.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(consumer.links.map((l) => l.context.spanId)).toEqual([invocation.spanContext().spanId]);

    // The recompute message it sent is in the same trace.
    const recompute = await receiveOne(recomputeQueue);
    expect(String(recompute[TRACE_FIELD])).toContain(`-${request.spanContext().traceId}-${consumer.spanContext().spanId}-`);
  });

  it('runs a message without a trace, or with a malformed one, in the invocation\'s own trace, without the field', async () => {
    const seen: unknown[] = [];
    const handler = continueTrace('x', async (m: unknown) => void seen.push(m));
    await handler({ a: 1 });
    await handler({ a: 2, [TRACE_FIELD]: 'not-a-traceparent' });
    await handler('plain text');
    expect(seen).toEqual([{ a: 1 }, { a: 2 }, 'plain text']);
  });

  it('adds nothing when no trace is active', async () => {
    const q = `trace-none-${Date.now()}`;
    await context.with(trace.deleteSpan(context.active()), () => sendMessages(q, [{ a: 1 }]));
    expect(await receiveOne(q)).toEqual({ a: 1 });
  });
});
