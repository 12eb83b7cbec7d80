import { mockServices } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createGithubClient } from './githubClient';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// The real plugins (not disabled as in the action tests), with waits
// shortened to milliseconds.
function client(logger = mockServices.logger.mock()) {
  return {
    logger,
    octokit: createGithubClient({
      token: 't',
      baseUrl: 'https://api.github.com',
      logger,
      overrides: {
        throttle: { retryAfterBaseValue: 1 },
        retry: { retryAfterBaseValue: 1 },
      },
    }),
  };
}

describe('createGithubClient', () => {
  it('waits out a primary rate limit and retries', async () => {
    let calls = 0;
    server.use(
      http.get('https://api.github.com/repos/acme/payments', () => {
        calls += 1;
        if (calls === 1) {
          return HttpResponse.json(
            { message: 'API rate limit exceeded' },
            {
              status: 403,
              headers: {
                'x-ratelimit-remaining': '0',
                'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)),
              },
            },
          );
        }
        return HttpResponse.json({ name: 'payments' });
      }),
    );
    const { octokit, logger } = client();
    const { data } = await octokit.rest.repos.get({
      owner: 'acme',
      repo: 'payments',
    });
    expect(data.name).toBe('payments');
    expect(calls).toBe(2);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/GitHub primary rate limit on GET .* retry 1\/2/),
    );
  });

  it('retries a server error but never a client error', async () => {
    let serverErrors = 0;
    let clientErrors = 0;
    server.use(
      http.get('https://api.github.com/repos/acme/flaky', () => {
        serverErrors += 1;
        return serverErrors === 1
          ? HttpResponse.json({ message: 'Server Error' }, { status: 502 })
          : HttpResponse.json({ name: 'flaky' });
      }),
      http.get('https://api.github.com/repos/acme/missing', () => {
        clientErrors += 1;
        return HttpResponse.json({ message: 'Not Found' }, { status: 404 });
      }),
    );
    const { octokit } = client();
    await expect(
      octokit.rest.repos.get({ owner: 'acme', repo: 'flaky' }),
    ).resolves.toMatchObject({ data: { name: 'flaky' } });
    expect(serverErrors).toBe(2);
    await expect(
      octokit.rest.repos.get({ owner: 'acme', repo: 'missing' }),
    ).rejects.toMatchObject({ status: 404 });
    expect(clientErrors).toBe(1);
  });
});
