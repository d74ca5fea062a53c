// Run with cwd = a deployment package: requires every dist/functions/*.js as the Functions worker would, with a
// stand-in for @azure/functions-core (the module the worker injects), and prints the registered function names.
// Plain JS so that it runs in the staged folder, which has no TypeScript and no dev dependencies.
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');

const names = [];
const hooks = [];
const core = {
  version: '3.99.0-package-test',
  hostVersion: '4.999.0-package-test',
  registerFunction: (metadata) => (names.push(metadata.name), { dispose() {} }),
  setProgrammingModel() {},
  getProgrammingModel() {},
  registerHook: (name) => (hooks.push(name), { dispose() {} }),
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === '@azure/functions-core' ? request : resolve.call(this, request, ...rest);
};
require.cache['@azure/functions-core'] = { id: '@azure/functions-core', filename: '@azure/functions-core', loaded: true, exports: core };

const dir = path.join(process.cwd(), 'dist', 'functions');
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) require(path.join(dir, file));
let devDependencyFound = [];
for (const dev of process.argv.slice(2)) {
  try {
    require.resolve(dev, { paths: [dir] });
    devDependencyFound.push(dev);
  } catch {
    // expected: not installed in the package
  }
}
// On a line of its own: the library may print its own notes to stdout.
process.stdout.write(`\nRESULT ${JSON.stringify({ names, hooks, devDependencyFound })}\n`);
// Telemetry exporters (when on) keep timers; the answer is written, so stop here.
process.exit(0);
