import { mockServices } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createGithubOctokit, githubTokenFor, MissingGithubCredentialsError } from './createGithubOctokit';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const repoBody = { id: 1296269, name: 'widget', full_name: 'acme/widget' };

function octokit(token: string | (() => Promise<string>) = 't', logger = mockServices.logger.mock()) {
  return {
    logger,
    client: createGithubOctokit({
      baseUrl: 'https://api.github.com',
      token,
      logger,
      limits: { serverErrorRetryBaseMs: 1 },
    }),
  };
}

describe('createGithubOctokit', () => {
  it('asks for a token before every request when given a function', async () => {
    const seen: Array<string | null> = [];
    server.use(
      http.get('https://api.github.com/repos/acme/widget', ({ request }) => {
        seen.push(request.headers.get('authorization'));
        return HttpResponse.json(repoBody);
      }),
    );
    let n = 0;
    const { client } = octokit(async () => `ghs_${++n}`);
    await client.rest.repos.get({ owner: 'acme', repo: 'widget' });
    await client.rest.repos.get({ owner: 'acme', repo: 'widget' });
    expect(seen).toEqual(['token ghs_1', 'token ghs_2']);
  });

  it('waits for the rate-limit reset on a 403 with no requests remaining, then resumes', async () => {
    const times: number[] = [];
    server.use(
      http.get('https://api.github.com/repos/acme/widget', () => {
        times.push(Date.now());
        if (times.length === 1) {
          return HttpResponse.json(
            { message: 'API rate limit exceeded for installation ID 1.' },
            {
              status: 403,
              headers: {
                'x-ratelimit-limit': '5000',
                'x-ratelimit-remaining': '0',
                'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1),
              },
            },
          );
        }
        return HttpResponse.json(repoBody);
      }),
    );
    const { client, logger } = octokit();
    const { data } = await client.rest.repos.get({ owner: 'acme', repo: 'widget' });
    expect(data.id).toBe(1296269);
    expect(times).toHaveLength(2);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(900);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/primary rate limit .* retry 1\/3/));
  });

  it('gives up on a reset further away than the longest wait', async () => {
    let calls = 0;
    server.use(
      http.get('https://api.github.com/repos/acme/widget', () => {
        calls += 1;
        return HttpResponse.json(
          { message: 'API rate limit exceeded' },
          {
            status: 403,
            headers: {
              'x-ratelimit-remaining': '0',
              'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600),
            },
          },
        );
      }),
    );
    const { client, logger } = octokit();
    await expect(client.rest.repos.get({ owner: 'acme', repo: 'widget' })).rejects.toMatchObject({ status: 403 });
    expect(calls).toBe(1);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/giving up/));
  });

  it('retries a 5xx a bounded number of times, never a 4xx, and keeps expected answers out of the error log', async () => {
    let fives = 0;
    let fours = 0;
    server.use(
      http.get('https://api.github.com/repos/acme/down', () => {
        fives += 1;
        return HttpResponse.json({ message: 'Server Error' }, { status: 502 });
      }),
      http.get('https://api.github.com/repos/acme/missing', () => {
        fours += 1;
        return HttpResponse.json({ message: 'Not Found' }, { status: 404 });
      }),
    );
    const { client, logger } = octokit();
    await expect(client.rest.repos.get({ owner: 'acme', repo: 'down' })).rejects.toMatchObject({ status: 502 });
    expect(fives).toBe(4);
    await expect(client.rest.repos.get({ owner: 'acme', repo: 'missing' })).rejects.toMatchObject({ status: 404 });
    expect(fours).toBe(1);
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining('502'));
    expect(logger.error).not.toHaveBeenCalledWith(expect.stringContaining('404'));
  });
});

describe('githubTokenFor', () => {
  it('refuses to hand out no token', async () => {
    await expect(
      githubTokenFor({ getCredentials: async () => ({ type: 'app' }) } as any, 'https://github.com/acme'),
    ).rejects.toThrow(MissingGithubCredentialsError);
    await expect(
      githubTokenFor({ getCredentials: async () => ({ type: 'token', token: 'x' }) } as any, 'https://github.com/acme'),
    ).resolves.toBe('x');
  });
});
