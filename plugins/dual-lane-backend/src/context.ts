import {
  AuthService,
  HttpAuthService,
  LifecycleService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { DualLaneStore } from './database';
import { CatalogEntitySync } from './services/CatalogEntitySync';
import { EntityAccess } from './services/EntityAccess';
import { GithubClientFactory } from './services/github/GithubClientFactory';
import { IngestAuthorization } from './services/gates/IngestAuthorization';

/**
 * What every area of the plugin (gates, supply chain, compliance) is wired
 * with: core services plus the plugin's shared pieces.
 */
export interface PluginContext {
  logger: LoggerService;
  config: RootConfigService;
  scheduler: SchedulerService;
  lifecycle: LifecycleService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  catalog: CatalogService;
  events: EventsService;
  notifications: NotificationService;
  actionsRegistry: ActionsRegistryService;
  store: DualLaneStore;
  catalogSync: CatalogEntitySync;
  entityAccess: EntityAccess;
  github: GithubClientFactory;
  /** Who may push through `POST /ingest/...` (gates and supply chain). */
  ingestAuthorization: IngestAuthorization;
}
