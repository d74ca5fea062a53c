import { startTelemetry } from '../shared/config/telemetry';

/**
 * OpenTelemetry (shared/config/telemetry.ts), on in Azure only. It is started here and @azure/functions required
 * after it, so the Azure Functions instrumentation sees the module being required and patches it, whatever order
 * the worker loads the function files in. This file registers no function.
 */
startTelemetry();
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('@azure/functions');
