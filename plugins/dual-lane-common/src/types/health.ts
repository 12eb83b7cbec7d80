/** Response of `GET /api/dual-lane/health`. */
export interface HealthResponse {
  status: 'ok';
  /** File name of the newest applied migration, e.g. `20261123_001_init.js`. */
  schemaVersion: string;
  /** Number of applied migrations. */
  migrations: number;
}
