import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  ComplianceWaiversResponse,
  CreateWaiverRequest,
  WaiverView,
} from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../../database';
import { ComplianceEvaluator } from './ComplianceEvaluator';
import { waiverView } from './ComplianceReader';
import { OrgWaiverFilters, OrgWaivers } from './OrgWaivers';

/**
 * Time-boxed exemptions of one entity from one criterion. Waivers are an
 * audit trail: never deleted, revoking one records who and when. An
 * expired waiver stops counting by itself (the evaluation compares its
 * expiry with the time of evaluation, and the stored result carries its
 * expiry so it is re-evaluated when it runs out).
 */
export class WaiverService {
  constructor(
    private readonly deps: {
      store: DualLaneStore;
      evaluator: ComplianceEvaluator;
      maxDays: number;
      /** The organisation-wide listing; without it `listOrganisation` is not offered. */
      orgWaivers?: OrgWaivers;
      clock?: () => Date;
    },
  ) {}

  private now() {
    return this.deps.clock ? this.deps.clock() : new Date();
  }

  async create(
    entityRef: string,
    request: CreateWaiverRequest,
    author: string,
  ): Promise<WaiverView> {
    const now = this.now();
    const expiresAt = new Date(request.expiresAt);
    const latest = new Date(now.getTime() + this.deps.maxDays * 86_400_000);
    if (expiresAt.getTime() <= now.getTime()) {
      throw new InputError(
        `expiresAt must be in the future, got ${request.expiresAt}`,
      );
    }
    if (expiresAt.getTime() > latest.getTime()) {
      throw new InputError(
        `expiresAt must be within ${
          this.deps.maxDays
        } days (by ${latest.toISOString()}), got ${
          request.expiresAt
        }; dualLane.compliance.waivers.maxDays sets the limit`,
      );
    }
    const waiver = await this.deps.store.compliance.createWaiver({
      entityRef,
      criterion: request.criterion,
      reason: request.reason.trim(),
      createdBy: author,
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
    });
    await this.deps.evaluator.evaluateEntities([entityRef]);
    return waiverView(waiver, now);
  }

  async revoke(entityRef: string, id: number, by: string): Promise<WaiverView> {
    const { store } = this.deps;
    const now = this.now();
    const waiver = await store.compliance.getWaiver(id);
    if (!waiver || waiver.entityRef !== entityRef.toLowerCase()) {
      throw new NotFoundError(`No waiver ${id} on ${entityRef}`);
    }
    if (waiver.revokedAt) {
      throw new ConflictError(
        `Waiver ${id} was already revoked by ${waiver.revokedBy} at ${waiver.revokedAt}`,
      );
    }
    if (Date.parse(waiver.expiresAt) <= now.getTime()) {
      throw new ConflictError(
        `Waiver ${id} already expired at ${waiver.expiresAt}; there is nothing to revoke`,
      );
    }
    const revoked = await store.compliance.revokeWaiver(id, by, now);
    await this.deps.evaluator.evaluateEntities([entityRef]);
    return waiverView(revoked!, now);
  }

  /** The waivers of every entity the filters let through, newest first. */
  async listOrganisation(options: {
    filters: OrgWaiverFilters;
    limit: number;
    cursor?: string;
  }): Promise<ComplianceWaiversResponse> {
    const orgWaivers =
      this.deps.orgWaivers ?? new OrgWaivers(this.deps.store.knex);
    const page = await orgWaivers.list({ ...options, now: this.now() });
    return { ...page, waiverMaxDays: this.deps.maxDays };
  }

  async list(entityRef: string): Promise<WaiverView[]> {
    const now = this.now();
    const waivers = await this.deps.store.compliance.listWaivers(entityRef);
    return waivers.reverse().map(w => waiverView(w, now));
  }
}
