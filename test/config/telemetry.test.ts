import { describe, expect, it } from 'vitest';
import { telemetryWanted } from '../../shared/config/telemetry';

describe('OpenTelemetry switch', () => {
  it('is off locally: no Application Insights connection string', () => {
    expect(telemetryWanted({})).toEqual({ enabled: false, reason: 'APPLICATIONINSIGHTS_CONNECTION_STRING is not set' });
    expect(telemetryWanted({ APPLICATIONINSIGHTS_CONNECTION_STRING: '  ' }).enabled).toBe(false);
  });

  it('is on in Azure, with the managed identity when Application Insights wants Entra auth', () => {
    const cs = 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';
    expect(telemetryWanted({ APPLICATIONINSIGHTS_CONNECTION_STRING: cs })).toEqual({ enabled: true, entraAuth: false });
    expect(telemetryWanted({ APPLICATIONINSIGHTS_CONNECTION_STRING: cs, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=abc;Authorization=AAD' })).toEqual({ enabled: true, entraAuth: true });
  });

  it('honours the standard OTEL_SDK_DISABLED', () => {
    expect(telemetryWanted({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=x', OTEL_SDK_DISABLED: 'true' })).toEqual({ enabled: false, reason: 'OTEL_SDK_DISABLED=true' });
  });
});
