import { AzureFunctionsInstrumentation } from '@azure/functions-opentelemetry-instrumentation';
import { AzureMonitorLogExporter, AzureMonitorTraceExporter } from '@azure/monitor-opentelemetry-exporter';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { getCredential } from './identity';

/**
 * OpenTelemetry for the worker, as Microsoft's "Use OpenTelemetry with Azure Functions" describes for Node: with
 * host.json `telemetryMode: OpenTelemetry` the host sends its own request telemetry in OpenTelemetry form and hands
 * each invocation its trace context; this side binds that context to the handler (so what the handler logs and
 * calls carries the invocation's operation id) and exports the worker's logs and spans to Application Insights.
 *
 * On only where there is somewhere to send to: APPLICATIONINSIGHTS_CONNECTION_STRING set (Azure sets it from
 * Bicep) and the standard OTEL_SDK_DISABLED not `true`. Locally neither is set, so logs stay exactly as they are.
 * With APPLICATIONINSIGHTS_AUTHENTICATION_STRING `...;Authorization=AAD` (Bicep: local auth is off on the
 * Application Insights resource) the exporters authenticate with the app's managed identity.
 */
export type TelemetryState = { enabled: false; reason: string } | { enabled: true; entraAuth: boolean };

let started: TelemetryState | undefined;

export function telemetryWanted(env: NodeJS.ProcessEnv = process.env): TelemetryState {
  if (!env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim()) return { enabled: false, reason: 'APPLICATIONINSIGHTS_CONNECTION_STRING is not set' };
  if (/^true$/i.test(env.OTEL_SDK_DISABLED ?? '')) return { enabled: false, reason: 'OTEL_SDK_DISABLED=true' };
  return { enabled: true, entraAuth: /(^|;)\s*Authorization\s*=\s*AAD\s*(;|$)/i.test(env.APPLICATIONINSIGHTS_AUTHENTICATION_STRING ?? '') };
}

/**
 * Starts the exporters and the Azure Functions instrumentation once per process. It must run before the process's
 * next `require('@azure/functions')`: the instrumentation patches the module when it is required
 * (functions/telemetry.ts starts it, then requires the module).
 */
export function startTelemetry(env: NodeJS.ProcessEnv = process.env): TelemetryState {
  if (started) return started;
  const wanted = telemetryWanted(env);
  started = wanted;
  if (!wanted.enabled) return wanted;
  const options = { connectionString: env.APPLICATIONINSIGHTS_CONNECTION_STRING!, ...(wanted.entraAuth ? { credential: getCredential() } : {}) };
  const tracerProvider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(new AzureMonitorTraceExporter(options))] });
  // Global: the instrumentation reads the propagator and context manager this registers.
  tracerProvider.register();
  const loggerProvider = new LoggerProvider({ processors: [new BatchLogRecordProcessor(new AzureMonitorLogExporter(options))] });
  const instrumentation = new AzureFunctionsInstrumentation();
  instrumentation.setTracerProvider(tracerProvider);
  instrumentation.setLoggerProvider(loggerProvider);
  instrumentation.enable();
  return wanted;
}
