import express from 'express';
import Router from 'express-promise-router';
import { HealthResponse } from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../database';

/** `GET /health`: liveness plus the database schema version. */
export function healthRoutes(deps: { store: DualLaneStore }): express.Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const { version, applied } = await deps.store.schemaVersion();
    const body: HealthResponse = {
      status: 'ok',
      schemaVersion: version ?? 'none',
      migrations: applied,
    };
    res.json(body);
  });
  return router;
}
