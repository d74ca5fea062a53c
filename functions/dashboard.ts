import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { dashboardResponse } from '../shared/http/dashboard-assets';

/** GET /api/dashboard: the dashboard page; GET /api/dashboard/{asset}: its script and styles (docs/dashboard.md). */
export async function dashboardPage(request: HttpRequest): Promise<HttpResponseInit> {
  return dashboardResponse(undefined, new URL(request.url).searchParams.get('v'));
}

export async function dashboardAsset(request: HttpRequest): Promise<HttpResponseInit> {
  // An empty name is not the page: only GET /api/dashboard is (so a decoded "%2F" is a 404 like any unknown file).
  return dashboardResponse(request.params.asset ?? '', new URL(request.url).searchParams.get('v'));
}

app.http('dashboard', { route: 'dashboard', methods: ['GET'], authLevel: 'anonymous', handler: dashboardPage });
app.http('dashboardAsset', { route: 'dashboard/{*asset}', methods: ['GET'], authLevel: 'anonymous', handler: dashboardAsset });
