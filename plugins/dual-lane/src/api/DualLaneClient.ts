import { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import {
  ComplianceCriteriaResponse,
  ComplianceListQuery,
  ComplianceListResponse,
  ComplianceRollupQuery,
  ComplianceRollupResponse,
  ComplianceWaiversQuery,
  ComplianceWaiversResponse,
  CreateWaiverRequest,
  EntityComplianceResponse,
  GatesQuery,
  GatesResponse,
  ReverifyResponse,
  SupplyChainResponse,
  WaiverView,
} from '@dual-lane/plugin-dual-lane-common';
import { DualLaneApi } from './DualLaneApi';

type QueryValue = string | number | boolean | string[] | undefined;

/** `?a=1&b=x,y` without the empty parameters, or '' when all are empty. */
export function queryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) search.set(key, value.join(','));
    } else {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** `entities/<kind>/<namespace>/<name>`, each part encoded. */
export function entityPath(entity: CompoundEntityRef): string {
  return [
    'entities',
    entity.kind.toLocaleLowerCase('en-US'),
    entity.namespace,
    entity.name,
  ]
    .map(encodeURIComponent)
    .join('/');
}

/**
 * Talks to the dual-lane backend (`/api/dual-lane`) with the signed-in
 * user's credentials (`fetchApi`).
 *
 * @public
 */
export class DualLaneClient implements DualLaneApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getGates(
    entity: CompoundEntityRef,
    query: GatesQuery = {},
  ): Promise<GatesResponse> {
    return this.request(
      `${entityPath(entity)}/gates${queryString({
        limit: query.limit,
        cursor: query.cursor,
        state: query.state,
      })}`,
    );
  }

  getSupplyChain(entity: CompoundEntityRef): Promise<SupplyChainResponse> {
    return this.request(`${entityPath(entity)}/supply-chain`);
  }

  reverify(
    entity: CompoundEntityRef,
    options: { force?: boolean } = {},
  ): Promise<ReverifyResponse> {
    return this.request(
      `${entityPath(entity)}/supply-chain/reverify${queryString({
        force: options.force,
      })}`,
      { method: 'POST' },
    );
  }

  getEntityCompliance(
    entity: CompoundEntityRef,
  ): Promise<EntityComplianceResponse> {
    return this.request(`${entityPath(entity)}/compliance`);
  }

  evaluateCompliance(
    entity: CompoundEntityRef,
  ): Promise<EntityComplianceResponse> {
    return this.request(`${entityPath(entity)}/compliance/evaluate`, {
      method: 'POST',
    });
  }

  createWaiver(
    entity: CompoundEntityRef,
    waiver: CreateWaiverRequest,
  ): Promise<WaiverView> {
    return this.request(`${entityPath(entity)}/compliance/waivers`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(waiver),
    });
  }

  revokeWaiver(
    entity: CompoundEntityRef,
    waiverId: number,
  ): Promise<WaiverView> {
    return this.request(
      `${entityPath(entity)}/compliance/waivers/${encodeURIComponent(
        String(waiverId),
      )}`,
      { method: 'DELETE' },
    );
  }

  listCompliance(
    query: ComplianceListQuery = {},
  ): Promise<ComplianceListResponse> {
    return this.request(
      `compliance${queryString({
        limit: query.limit,
        cursor: query.cursor,
        sort: query.sort,
        order: query.order,
        owner: query.owner,
        system: query.system,
        verdict: query.verdict,
        criterion: query.criterion,
        criterionStatus: query.criterionStatus,
        q: query.q,
      })}`,
    );
  }

  getComplianceRollups(
    query: ComplianceRollupQuery,
  ): Promise<ComplianceRollupResponse> {
    return this.request(
      `compliance/rollups${queryString({
        by: query.by,
        limit: query.limit,
        offset: query.offset,
        owner: query.owner,
        system: query.system,
      })}`,
    );
  }

  getComplianceCriteria(): Promise<ComplianceCriteriaResponse> {
    return this.request('compliance/criteria');
  }

  listWaivers(
    query: ComplianceWaiversQuery = {},
  ): Promise<ComplianceWaiversResponse> {
    return this.request(
      `compliance/waivers${queryString({
        active: query.active,
        criterion: query.criterion,
        limit: query.limit,
        cursor: query.cursor,
      })}`,
    );
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('dual-lane');
    const response = await this.fetchApi.fetch(`${baseUrl}/${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
