import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { DemoGithubApi } from './github/DemoGithubApi';
import { readDemoGithubConfig } from './github/demoGithubConfig';
import { loadDemoData } from './github/loadDemoData';
import { createDemoGithubRouter } from './github/router';

/**
 * The demo organisation's GitHub, served at `/api/demo-github`: a
 * read-only GitHub REST API answering the dual-lane sync's requests from
 * the generated fixtures. Unauthenticated for Backstage (the clients are
 * Octokit with the demo token, which the API itself checks). It refuses to
 * start under NODE_ENV=production.
 *
 * @public
 */
export const demoGithubPlugin = createBackendPlugin({
  pluginId: 'demo-github',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
      },
      async init({ config, logger, httpRouter }) {
        const settings = readDemoGithubConfig(config);
        if (!settings.enabled) {
          logger.info(
            'demoGithub.enabled is not true: the demo GitHub is not served',
          );
          return;
        }
        if (process.env.NODE_ENV === 'production') {
          logger.error(
            'The demo GitHub is not served under NODE_ENV=production: it is an unauthenticated development fixture',
          );
          return;
        }
        const data = loadDemoData(settings.dataDirectory);
        const api = new DemoGithubApi(data, {
          token: settings.token,
          host: settings.host,
        });
        httpRouter.use(createDemoGithubRouter(api));
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        logger.info(
          `Serving the demo GitHub of ${settings.host} (${
            data.repositories.size
          } repositories from ${
            settings.dataDirectory
          }, history relative to ${data.now.toISOString()})`,
        );
      },
    });
  },
});
