import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  GithubClientFactory,
  MissingGithubCredentialsError,
} from './GithubClientFactory';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const repoBody = { id: 1296269, name: 'widget', full_name: 'acme/widget', default_branch: 'main' };

function factory(integrations: unknown, logger = mockServices.logger.mock()) {
  return {
    logger,
    factory: GithubClientFactory.fromConfig(
      new ConfigReader({ integrations } as any),
      { logger, serverErrorRetryBaseMs: 1 },
    ),
  };
}

describe('GithubClientFactory', () => {
  it('sends the configured token to the integration API base URL', async () => {
    const seen: Array<string | null> = [];
    server.use(
      http.get('https://ghe.acme.dev/api/v3/repos/acme/widget', ({ request }) => {
        seen.push(request.headers.get('authorization'));
        return HttpResponse.json(repoBody);
      }),
    );
    const { factory: f } = factory({
      github: [{ host: 'ghe.acme.dev', apiBaseUrl: 'https://ghe.acme.dev/api/v3', token: 'ghp_secret' }],
    });
    const client = await f.forRepository({ host: 'ghe.acme.dev', owner: 'acme', name: 'widget' });
    const { data } = await client.rest.repos.get({ owner: 'acme', repo: 'widget' });
    expect(data.full_name).toBe('acme/widget');
    expect(seen).toEqual(['token ghp_secret']);
  });

  it('refuses to build an anonymous client', async () => {
    const { factory: f } = factory({ github: [{ host: 'github.com' }] });
    await expect(f.forOwner('github.com', 'acme')).rejects.toThrow(MissingGithubCredentialsError);
    await expect(f.forOwner('github.com', 'acme')).rejects.toThrow(
      'No GitHub credentials for https://github.com/acme',
    );
    await expect(f.forOwner('gitlab.example.com', 'acme')).rejects.toThrow(
      "No integrations.github entry for host 'gitlab.example.com'",
    );
  });

  it('keeps one client per owner, whatever the case of its name', async () => {
    server.use(
      http.get('https://api.github.com/repos/acme/widget', () => HttpResponse.json(repoBody)),
    );
    const { factory: f } = factory({ github: [{ host: 'github.com', token: 't' }] });
    const a = await f.forOwner('github.com', 'acme');
    const b = await f.forRepository({ host: 'github.com', owner: 'ACME', name: 'other' });
    expect(b).toBe(a);
    await expect(a.rest.repos.get({ owner: 'acme', repo: 'widget' })).resolves.toMatchObject({ data: { id: 1296269 } });
  });
});
