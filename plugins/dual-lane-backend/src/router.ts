import express from 'express';
import Router from 'express-promise-router';
import { PluginContext } from './context';
import { healthRoutes } from './routes/healthRoutes';

export interface RouterOptions {
  context: PluginContext;
  /** The routes of each area (gates, supply chain, compliance). */
  routes: express.Router[];
}

/** Mounts each area's routes; the routes themselves stay thin. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const router = Router();
  router.use(express.json({ limit: '1mb' }));
  router.use(healthRoutes(options.context));
  for (const routes of options.routes) {
    router.use(routes);
  }
  return router;
}
