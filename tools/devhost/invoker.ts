import { randomUUID } from 'node:crypto';
import type { CoreApi, CoreInvocationContext, RegisteredFunction, RpcBinding, RpcTypedData } from './core-api';

export interface InvocationResult {
  returnValue?: RpcTypedData | null;
  outputs: { binding: RpcBinding; data: RpcTypedData }[];
}

export type Logger = (level: string, message: string) => void;

export function triggerOf(fn: RegisteredFunction): [string, RpcBinding] {
  const entry = Object.entries(fn.metadata.bindings).find(([, b]) => b.direction === 'in' && /Trigger$/.test(b.type));
  if (!entry) throw new Error(`Function "${fn.metadata.name}" has no trigger binding.`);
  return entry;
}

export class FunctionTimeoutError extends Error {}

/**
 * Runs one invocation through the app's own ProgrammingModel (@azure/functions), so the trigger data
 * is converted to HttpRequest, timer and queue objects exactly as it is under the Azure Functions worker.
 */
export async function invoke(
  core: CoreApi,
  fn: RegisteredFunction,
  triggerData: RpcTypedData,
  triggerMetadata: Record<string, RpcTypedData>,
  opts: { log: Logger; timeoutMs: number },
): Promise<InvocationResult> {
  const model = core.programmingModel;
  if (!model) throw new Error('No programming model was registered: no function file called app.* yet.');
  const [triggerName] = triggerOf(fn);
  const invocationId = randomUUID();
  const coreCtx: CoreInvocationContext = {
    invocationId,
    request: {
      invocationId,
      functionId: fn.metadata.name,
      inputData: [{ name: triggerName, data: triggerData }],
      triggerMetadata,
    },
    metadata: fn.metadata,
    log: (level, category, message) => opts.log(level, `[${fn.metadata.name}${category === 'system' ? ':system' : ''}] ${message}`),
  };
  const invocation = model.getInvocationModel(coreCtx);
  const { context, inputs } = await invocation.getArguments();
  const hookData: Record<string, unknown> = {};
  const pre: Record<string, unknown> = { invocationContext: context, inputs, functionCallback: fn.callback, hookData };
  coreCtx.state = 'preInvocationHooks';
  await core.runHooks('preInvocation', pre);
  coreCtx.state = 'invocation';
  let result: unknown;
  let error: unknown;
  let timer: NodeJS.Timeout | undefined;
  try {
    const run = invocation.invokeFunction(context, pre.inputs as unknown[], pre.functionCallback as (...a: unknown[]) => unknown);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FunctionTimeoutError(`Timeout value of ${opts.timeoutMs} ms exceeded by function "${fn.metadata.name}".`)), opts.timeoutMs);
    });
    result = await Promise.race([run, timeout]);
  } catch (e) {
    error = e;
  } finally {
    clearTimeout(timer);
  }
  coreCtx.state = 'postInvocationHooks';
  const post: Record<string, unknown> = { invocationContext: context, inputs, result, error, hookData };
  await core.runHooks('postInvocation', post);
  if (post.error) throw post.error;
  const response = await invocation.getResponse(context, post.result);
  const outputs = (response.outputData ?? []).map(({ name, data }) => {
    const binding = fn.metadata.bindings[name];
    if (!binding) throw new Error(`Output "${name}" has no binding on function "${fn.metadata.name}".`);
    return { binding, data };
  });
  return { returnValue: response.returnValue, outputs };
}
