import { http, HttpResponse } from 'msw';
import { FakeGithub } from './fakeGithub';

/** MSW handlers that answer every request to the fake's API base URL. */
export function mswHandlers(fake: FakeGithub) {
  return [
    http.all(`${fake.apiBaseUrl}/*`, ({ request }) => {
      const res = fake.handle({
        method: request.method,
        url: request.url,
        headers: Object.fromEntries(request.headers.entries()),
      });
      if (res.status === 304 || res.body === undefined) {
        return new HttpResponse(null, { status: res.status, headers: res.headers });
      }
      return HttpResponse.json(res.body as any, { status: res.status, headers: res.headers });
    }),
  ];
}
