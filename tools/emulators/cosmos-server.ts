import { randomUUID } from 'node:crypto';
import http from 'node:http';
import Account from '@vercel/cosmosdb-server/lib/account';
import routes from '@vercel/cosmosdb-server/lib/routes';

/**
 * The Cosmos DB emulator's HTTP server, built from @vercel/cosmosdb-server's own account and routes.
 *
 * The package's createHttpServer keeps its account in a closure, so nothing outside can read or restore the data;
 * this server holds the account itself (for saving it, cosmos-persistence.ts). The response handling is that of the
 * package's request handler (lib/index.js, 1.0.1), with keep-alive on.
 */
export interface CosmosServer {
  server: http.Server;
  /** The account once the server listens (created then, because it advertises the listening address). */
  account(): Account;
}

type Handler = (account: Account, req: http.IncomingMessage, res: http.ServerResponse, params: Record<string, string>) => Promise<Record<string, unknown> | undefined>;
const route = routes as unknown as (req: http.IncomingMessage) => [Record<string, string>, Handler] | undefined;

export function createCosmosServer(): CosmosServer {
  let account: Account | undefined;
  const server = http.createServer({ keepAlive: true }, (req, res) => {
    void respond(account!, req, res).catch((err: unknown) => {
      console.error(err);
      if (!res.writableEnded) {
        res.statusCode = 500;
        res.end('');
      }
    });
  });
  server.on('listening', () => {
    const address = server.address();
    if (!address || typeof address !== 'object') throw new Error(`Unexpected address: ${String(address)}`);
    const host = address.address === '0.0.0.0' || address.address === '::' ? 'localhost' : address.address;
    account = new Account(host, address.port);
  });
  return {
    server,
    account: () => {
      if (!account) throw new Error('The Cosmos emulator is not listening yet.');
      return account;
    },
  };
}

async function respond(account: Account, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const found = route(req);
  let body: Record<string, unknown> | undefined;
  if (found) {
    const [params, handler] = found;
    try {
      body = await handler(account, req, res, params);
    } catch (err) {
      console.error(err);
      body = { message: (err as Error).message };
      res.statusCode = 500;
    }
    if (res.statusCode > 399 && body && !body.message) body.message = '';
  } else {
    res.statusCode = 400;
    body = { message: 'no route' };
  }
  if (body && typeof body._etag === 'string') res.setHeader('etag', body._etag);
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-location', `https://${req.headers.host}${req.url}`);
  res.setHeader('connection', 'keep-alive');
  res.setHeader('x-ms-activity-id', randomUUID());
  res.setHeader('x-ms-request-charge', '1');
  if (req.headers['x-ms-documentdb-populatequerymetrics']) {
    res.setHeader('x-ms-documentdb-query-metrics', 'totalExecutionTimeInMs=0.00;queryCompileTimeInMs=0.00;queryLogicalPlanBuildTimeInMs=0.00;queryPhysicalPlanBuildTimeInMs=0.00;queryOptimizationTimeInMs=0.00;VMExecutionTimeInMs=0.00;indexLookupTimeInMs=0.00;documentLoadTimeInMs=0.00;systemFunctionExecuteTimeInMs=0.00;userFunctionExecuteTimeInMs=0.00;retrievedDocumentCount=0;retrievedDocumentSize=0;outputDocumentCount=1;outputDocumentSize=0;writeOutputTimeInMs=0.00;indexUtilizationRatio=0.00');
  }
  if (req.headers['a-im'] && res.statusCode === 200) {
    if (req.headers['if-none-match']) res.statusCode = 304;
    res.setHeader('etag', '1');
  }
  res.end(JSON.stringify(body));
}
