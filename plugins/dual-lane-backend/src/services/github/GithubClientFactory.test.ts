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

  it('waits for the rate-limit reset on a 403 with no requests remaining, then resumes', async () => {
    let calls = 0;
    const times: number[] = [];
    server.use(
      http.get('https://api.github.com/repos/acme/widget', () => {
        calls += 1;
        times.push(Date.now());
        if (calls === 1) {
          return HttpResponse.json(
            { message: 'API rate limit exceeded for installation ID 1.', documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting' },
            {
              status: 403,
              headers: {
                'x-ratelimit-limit': '5000',
                'x-ratelimit-remaining': '0',
                'x-ratelimit-used': '5000',
                'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1),
              },
            },
          );
        }
        return HttpResponse.json(repoBody);
      }),
    );
    const { factory: f, logger } = factory({ github: [{ host: 'github.com', token: 't' }] });
    const client = await f.forRepository({ host: 'github.com', owner: 'acme', name: 'widget' });
    const { data } = await client.rest.repos.get({ owner: 'acme', repo: 'widget' });
    expect(data.id).toBe(1296269);
    expect(calls).toBe(2);
    // Not retried before the reset time.
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(900);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/primary rate limit .* retry 1\/3/));
  });

  it('retries a 5xx a bounded number of times, then fails', async () => {
    let calls = 0;
    server.use(
      http.get('https://api.github.com/repos/acme/widget', () => {
        calls += 1;
        return HttpResponse.json({ message: 'Server Error' }, { status: 502 });
      }),
    );
    const { factory: f } = factory({ github: [{ host: 'github.com', token: 't' }] });
    const client = await f.forRepository({ host: 'github.com', owner: 'acme', name: 'widget' });
    await expect(client.rest.repos.get({ owner: 'acme', repo: 'widget' })).rejects.toMatchObject({
      status: 502,
    });
    expect(calls).toBe(4);
  });
});
