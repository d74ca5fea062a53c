import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { HttpHandler } from '@azure/functions';
import { CoreApi, installCoreApi } from '../../tools/devhost/core-api';

export interface HttpRoute {
  name: string;
  route: string;
  methods: string[];
  handler: HttpHandler;
}

/**
 * Every HTTP function the app registers, read from the registrations themselves (as the local host does), so a route
 * added later is checked without editing a list. Call it before anything else in the test file loads @azure/functions:
 * the library looks its core module up once.
 */
export async function registeredHttpRoutes(): Promise<HttpRoute[]> {
  const core = new CoreApi(() => {});
  installCoreApi(core);
  const dir = path.resolve(__dirname, '..', '..', 'functions');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) await import(path.join(dir, file));
  const routes: HttpRoute[] = [];
  for (const { metadata, callback } of core.functions.values()) {
    const trigger = Object.values(metadata.bindings).find((b) => b.type === 'httpTrigger');
    if (trigger) routes.push({ name: metadata.name, route: String(trigger.route), methods: (trigger.methods as string[]).map((m) => m.toUpperCase()), handler: callback as HttpHandler });
  }
  return routes;
}
