import Module from 'node:module';

/**
 * A local implementation of `@azure/functions-core`, the module the Azure Functions Node worker
 * injects into the app. @azure/functions looks it up with require() on its first app.* call and
 * hands it every registration and its ProgrammingModel, so the local host sees exactly what Azure sees.
 */

export interface RpcBinding {
  type: string;
  direction: 'in' | 'out' | 'inout';
  name?: string;
  [key: string]: unknown;
}

export interface FunctionMetadata {
  name: string;
  bindings: Record<string, RpcBinding>;
  retryOptions?: unknown;
}

export interface RegisteredFunction {
  metadata: FunctionMetadata;
  callback: (...args: unknown[]) => unknown;
}

export type RpcTypedData = Record<string, unknown>;

export interface CoreInvocationContext {
  invocationId: string;
  request: {
    invocationId: string;
    functionId: string;
    inputData: { name: string; data: RpcTypedData }[];
    triggerMetadata: Record<string, RpcTypedData>;
  };
  metadata: FunctionMetadata;
  state?: string;
  log(level: string, category: string, message: string): void;
}

export interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], handler: (...args: unknown[]) => unknown): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<{
    returnValue?: RpcTypedData | null;
    outputData?: { name: string; data: RpcTypedData }[];
  }>;
}

export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(ctx: CoreInvocationContext): InvocationModel;
}

type HookName = 'appStart' | 'appTerminate' | 'preInvocation' | 'postInvocation' | 'log';
type HookCallback = (context: Record<string, unknown>) => unknown;

export class CoreApi {
  readonly version = '3.99.0-devhost';
  readonly hostVersion = '4.999.0-devhost';
  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks = new Map<HookName, HookCallback[]>();
  programmingModel: ProgrammingModel | undefined;

  constructor(private readonly sink: (level: string, category: string, message: string) => void) {}

  registerFunction = (metadata: FunctionMetadata, callback: (...args: unknown[]) => unknown) => {
    if (this.functions.has(metadata.name)) {
      throw new Error(`A function named "${metadata.name}" is already registered.`);
    }
    this.functions.set(metadata.name, { metadata, callback });
    return { dispose: () => this.functions.delete(metadata.name) };
  };

  setProgrammingModel = (model: ProgrammingModel) => {
    this.programmingModel = model;
  };

  getProgrammingModel = () => this.programmingModel;

  registerHook = (name: HookName, callback: HookCallback) => {
    const list = this.hooks.get(name) ?? [];
    list.push(callback);
    this.hooks.set(name, list);
    return {
      dispose: () => {
        const i = list.indexOf(callback);
        if (i >= 0) list.splice(i, 1);
      },
    };
  };

  log = (level: string, category: string, message: string) => this.sink(level, category, message);

  async runHooks(name: HookName, context: Record<string, unknown>): Promise<void> {
    for (const hook of this.hooks.get(name) ?? []) {
      await hook(context);
    }
  }
}

let installed: CoreApi | undefined;

/**
 * Makes `require('@azure/functions-core')` return `api`, the same trick the real worker uses.
 * Must run before the first app.* call, since @azure/functions caches the lookup.
 */
export function installCoreApi(api: CoreApi): void {
  if (installed) throw new Error('The local @azure/functions-core is already installed in this process.');
  installed = api;
  const original = Module.prototype.require;
  Module.prototype.require = new Proxy(original, {
    apply(target, self, args: [string]) {
      return args[0] === '@azure/functions-core' ? installed : Reflect.apply(target, self, args);
    },
  }) as typeof original;
}
