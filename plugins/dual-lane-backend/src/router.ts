import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { DualLaneStore } from './database';
import { EntityAccess } from './services/EntityAccess';
import { healthRoutes } from './routes/healthRoutes';

export interface RouterOptions {
  store: DualLaneStore;
  httpAuth: HttpAuthService;
  entityAccess: EntityAccess;
  logger: LoggerService;
}

/** Mounts each area's routes; the routes themselves stay thin. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const router = Router();
  router.use(express.json({ limit: '1mb' }));
  router.use(healthRoutes(options));
  return router;
}
