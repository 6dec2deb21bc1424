/** A small HTTP client for tests: bearer tokens, or a cookie jar with the session's CSRF token. */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected ad hoc
  readonly body: any;
}

export class ApiClient {
  cookie: string | undefined;
  csrf: string | undefined;

  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  async call(
    method: string,
    path: string,
    body?: unknown,
    options: { csrf?: string | null; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const headers = new Headers(options.headers);
    if (this.token) headers.set('authorization', `Bearer ${this.token}`);
    if (this.cookie) headers.set('cookie', this.cookie);
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    if (csrf && method !== 'GET') headers.set('x-csrf-token', csrf);
    if (body !== undefined) headers.set('content-type', 'application/json');
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  /** Signs in; keeps the session cookie and CSRF token for later calls. */
  async login(username: string, password: string): Promise<Reply> {
    const reply = await this.call('POST', '/api/auth/login', { username, password });
    if (reply.status === 200) {
      const setCookie = reply.headers.get('set-cookie') ?? '';
      this.cookie = setCookie.split(';')[0];
      this.csrf = reply.body.csrfToken;
    }
    return reply;
  }

  get = (path: string) => this.call('GET', path);
  put = (path: string, body: unknown) => this.call('PUT', path, body);
  post = (path: string, body: unknown) => this.call('POST', path, body);
  patch = (path: string, body: unknown) => this.call('PATCH', path, body);
  delete = (path: string) => this.call('DELETE', path);
}
