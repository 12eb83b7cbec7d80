/**
 * Playwright global setup: the frontend dev server answers before the
 * backend has finished starting its plugins, so wait for the backend's
 * dual-lane health endpoint as well.
 */
export default async function waitForBackend() {
  const url =
    process.env.E2E_BACKEND_HEALTH_URL ??
    'http://localhost:7007/api/dual-lane/health';
  const deadline = Date.now() + 300_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise(resolve => setTimeout(resolve, 2_000));
  }
  throw new Error(`Backend not healthy at ${url} after 5 minutes: ${last}`);
}
