import { accessModel } from './access-store';
import { callerOf } from './caller';
import { accessOf, NO_ACCESS, type Access } from './grants';
import type { Principal } from './principal';

/** The caller of a request and what it may do, resolved once by the access check and read by the routes. */
export interface RequestAccess {
  caller: Principal | undefined;
  access: Access;
}

const byRequest = new WeakMap<object, RequestAccess>();

export async function resolveRequestAccess(headers: { get(name: string): string | null }): Promise<RequestAccess> {
  const caller = callerOf(headers);
  if (!caller) return { caller, access: NO_ACCESS };
  const { grants, groups } = await accessModel();
  return { caller, access: accessOf(caller, grants, groups) };
}

export function rememberRequestAccess(request: object, value: RequestAccess): void {
  byRequest.set(request, value);
}

/** What the access check resolved for this request; a route that reads it runs only behind that check. */
export function requestAccess(request: object): RequestAccess {
  const value = byRequest.get(request);
  if (!value) throw new Error('No access was resolved for this request: the access check did not run before the route.');
  return value;
}
