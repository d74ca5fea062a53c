import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { accessModel, deleteGrant, deletePartnerGroup, getGrant, getPartnerGroup, putGrant, putPartnerGroup } from '../shared/access/access-store';
import { describeCaller } from '../shared/access/caller';
import { grantInputSchema, partnerGroupIdSchema, partnerGroupInputSchema, readablePartners } from '../shared/access/grants';
import { requestAccess } from '../shared/access/request-access';
import { readJsonBody } from '../shared/http/request-body';
import { routeParam } from '../shared/http/request';
import { created, notFound, ok } from '../shared/http/responses';
import { listDirectory } from '../shared/recompute/directory';

/** Who the caller is and what it may do: what the dashboard asks first. */
export async function accessMe(request: HttpRequest): Promise<HttpResponseInit> {
  const { caller, access } = requestAccess(request);
  return ok({
    caller: caller && { kind: caller.kind, id: caller.id, name: caller.name, via: caller.via, roles: caller.roles, groups: caller.groups },
    operator: access.operator,
    read: access.operator ? 'all' : [...access.read].sort(),
    edit: access.operator ? 'all' : [...access.edit].sort(),
  });
}

/** The partners the caller may read, among those the service knows; an unpermitted partner is simply not listed. */
export async function listPartners(request: HttpRequest): Promise<HttpResponseInit> {
  const { access } = requestAccess(request);
  const ids = readablePartners(access, await listDirectory());
  return ok({ partners: ids.map((partnerId) => ({ partnerId, access: access.operator || access.edit.has(partnerId) ? 'edit' : 'read' })) });
}

const grantIdParam = (request: HttpRequest) => routeParam(request, 'grantId', partnerGroupIdSchema);
const groupIdParam = (request: HttpRequest) => routeParam(request, 'groupId', partnerGroupIdSchema);
const by = (request: HttpRequest) => {
  const { caller } = requestAccess(request);
  return caller ? describeCaller(caller) : 'unknown';
};

export async function listGrants(): Promise<HttpResponseInit> {
  return ok({ grants: (await accessModel(0)).grants });
}

export async function grant(request: HttpRequest): Promise<HttpResponseInit> {
  const id = grantIdParam(request);
  if (!id.ok) return id.response;
  if (request.method === 'GET') {
    const found = await getGrant(id.value);
    return found ? ok(found) : notFound(`No grant ${id.value}.`);
  }
  if (request.method === 'DELETE') return (await deleteGrant(id.value)) ? ok({ deleted: id.value }) : notFound(`No grant ${id.value}.`);
  const body = await readJsonBody(request, grantInputSchema);
  if (!body.ok) return body.response;
  const res = await putGrant(id.value, body.value, by(request));
  return res.created ? created(res.grant, `/api/access/grants/${id.value}`) : ok(res.grant);
}

export async function listPartnerGroups(): Promise<HttpResponseInit> {
  return ok({ partnerGroups: (await accessModel(0)).groups });
}

export async function partnerGroup(request: HttpRequest): Promise<HttpResponseInit> {
  const id = groupIdParam(request);
  if (!id.ok) return id.response;
  if (request.method === 'GET') {
    const found = await getPartnerGroup(id.value);
    return found ? ok(found) : notFound(`No partner group ${id.value}.`);
  }
  if (request.method === 'DELETE') return (await deletePartnerGroup(id.value)) ? ok({ deleted: id.value }) : notFound(`No partner group ${id.value}.`);
  const body = await readJsonBody(request, partnerGroupInputSchema);
  if (!body.ok) return body.response;
  const res = await putPartnerGroup(id.value, body.value, by(request));
  return res.created ? created(res.group, `/api/access/partner-groups/${id.value}`) : ok(res.group);
}


app.http('accessMe', { route: 'access/me', methods: ['GET'], authLevel: 'anonymous', handler: accessMe });
app.http('partnersList', { route: 'partners', methods: ['GET'], authLevel: 'anonymous', handler: listPartners });
app.http('accessGrantsList', { route: 'access/grants', methods: ['GET'], authLevel: 'anonymous', handler: listGrants });
app.http('accessGrant', { route: 'access/grants/{grantId}', methods: ['GET', 'PUT', 'DELETE'], authLevel: 'anonymous', handler: grant });
app.http('accessPartnerGroupsList', { route: 'access/partner-groups', methods: ['GET'], authLevel: 'anonymous', handler: listPartnerGroups });
app.http('accessPartnerGroup', { route: 'access/partner-groups/{groupId}', methods: ['GET', 'PUT', 'DELETE'], authLevel: 'anonymous', handler: partnerGroup });
