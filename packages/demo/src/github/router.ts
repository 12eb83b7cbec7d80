import express from 'express';
import Router from 'express-promise-router';
import { DemoGithubApi } from './DemoGithubApi';

/**
 * Serves a `DemoGithubApi` over HTTP. Mounted by the backend plugin at
 * `/api/demo-github`, or on its own server in tests; the API base of the
 * `Link` headers and `url` fields is where the request arrived.
 */
export function createDemoGithubRouter(api: DemoGithubApi): express.Router {
  const router = Router();
  router.all('*', (req, res) => {
    const original = new URL(req.originalUrl, 'http://placeholder');
    const mount = req.baseUrl;
    const apiBase = `${req.protocol}://${req.get('host')}${mount}`;
    const path = original.pathname.slice(mount.length) || '/';
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const response = api.handle({
      method: req.method,
      path,
      query: original.searchParams,
      headers,
      apiBase,
    });
    res.status(response.status);
    for (const [name, value] of Object.entries(response.headers)) {
      res.setHeader(name, value);
    }
    if (response.status === 304) {
      res.end();
    } else if (response.raw !== undefined) {
      res.send(response.raw);
    } else if (response.body !== undefined) {
      res.json(response.body);
    } else {
      res.end();
    }
  });
  return router;
}
