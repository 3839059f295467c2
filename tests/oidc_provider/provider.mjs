// A real OpenID Connect provider (the npm package oidc-provider) for the
// single sign-on tests: tests/sso_provider.py starts it once per test
// session on 127.0.0.1 and reads its issuer from the first line it prints.
//
// What is made up for the tests, and only that:
// - the "directory": the sign-in page asks for the person's claims (sub,
//   email, email_verified, name) instead of a password, so each test says
//   who signs in;
// - the same page picks how the ID token comes out for that person's next
//   sign-in: "valid"; "expired" (signed by the provider, expired ten minutes
//   ago); "wrong-audience" (signed by the provider for another application,
//   `aud` another-app, with every other claim, `azp` included, naming ours);
//   "claims-in-id-token" (email and email_verified in the ID token itself,
//   as Google and Entra ID put them, rather than only from userinfo);
// - redirect URIs: the callback path on the hosts a test serves from
//   (Django's test client's "testserver", the live server's 127.0.0.1 or
//   localhost, any port).
// Everything else (discovery, the authorization endpoint, PKCE, the token
// endpoint with client authentication, signing keys published as JWKS,
// userinfo) is oidc-provider's own.
//
// Environment: OIDC_CLIENT_ID, OIDC_CLIENT_SECRET.

import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const CLIENT_ID = process.env.OIDC_CLIENT_ID || 'spectrum';
const CLIENT_SECRET = process.env.OIDC_CLIENT_SECRET || 'test-only-client-secret';
const OTHER_CLIENT_ID = 'another-app';
const CALLBACK_PATH = '/accounts/sso/callback/';
const TEST_HOSTS = new Set(['testserver', '127.0.0.1', 'localhost']);
const TOKEN_MODES = new Set(['valid', 'expired', 'wrong-audience', 'claims-in-id-token']);

// sub -> claims, and sub -> how that person's next ID token comes out.
const accounts = new Map();
const tokenModes = new Map();

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: 'test-signing-key', use: 'sig', alg: 'RS256' };
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function signInPage(uid, clientId) {
  const modes = [...TOKEN_MODES].map((mode) => `<option>${mode}</option>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test provider: sign in</title></head>
<body><main>
<h1>Test provider: sign in to ${escapeHtml(clientId)}</h1>
<form method="post" action="/interaction/${escapeHtml(uid)}">
<p><label for="sub">Subject (sub)</label> <input id="sub" name="sub" required></p>
<p><label for="email">Email</label> <input id="email" name="email"></p>
<p><label for="email_verified">Email verified</label>
<select id="email_verified" name="email_verified"><option>true</option><option>false</option><option value="">(not sent)</option></select></p>
<p><label for="name">Name</label> <input id="name" name="name"></p>
<p><label for="token">ID token</label> <select id="token" name="token">${modes}</select></p>
<button type="submit">Sign in</button>
</form>
</main></body></html>`;
}

async function formBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function claimsFrom(form) {
  const claims = {};
  if (form.get('email')) claims.email = form.get('email');
  const verified = form.get('email_verified');
  if (verified === 'true' || verified === 'false') claims.email_verified = verified === 'true';
  if (form.get('name')) claims.name = form.get('name');
  return claims;
}

// Listen first: the issuer names the port.
let handler = (req, res) => { res.statusCode = 503; res.end(); };
const server = http.createServer((req, res) => handler(req, res));
await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [`http://testserver${CALLBACK_PATH}`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
    {
      client_id: OTHER_CLIENT_ID,
      client_secret: 'another-app-secret-not-ours',
      redirect_uris: ['https://another-app.example.org/callback'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  jwks: { keys: [signingKey()] },
  cookies: { keys: ['test-only-cookie-key'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  findAccount: async (ctx, sub) => {
    if (!accounts.has(sub)) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...accounts.get(sub) }) };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  features: { devInteractions: { enabled: false } },
  // Our client always sends a PKCE challenge: requiring one checks that it does.
  pkce: { required: () => true },
});

const { Client } = provider;
const redirectUriAllowed = Client.prototype.redirectUriAllowed;
Client.prototype.redirectUriAllowed = function allowTestHosts(value) {
  if (this.clientId !== CLIENT_ID) return redirectUriAllowed.call(this, value);
  let url;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && TEST_HOSTS.has(url.hostname)
    && url.pathname === CALLBACK_PATH && !url.search && !url.hash;
};

const { IdToken } = provider;
const issue = IdToken.prototype.issue;
IdToken.prototype.issue = async function issueAsTheTestAsks(options = {}) {
  if (options.use !== 'idtoken') return issue.call(this, options);
  const sub = this.available.sub;
  const mode = tokenModes.get(sub) || 'valid';
  tokenModes.delete(sub);
  if (mode === 'expired') {
    return issue.call(this, { ...options, expiresAt: Math.floor(Date.now() / 1000) - 600 });
  }
  if (mode === 'wrong-audience') {
    this.client = await Client.find(OTHER_CLIENT_ID);
    this.set('azp', CLIENT_ID);
  }
  if (mode === 'claims-in-id-token') {
    const claims = accounts.get(sub) || {};
    for (const name of ['email', 'email_verified']) {
      if (name in claims) this.set(name, claims[name]);
    }
  }
  return issue.call(this, options);
};

// The sign-in page: one step signs in and consents to the scopes asked for.
provider.use(async (ctx, next) => {
  const match = /^\/interaction\/([^/]+)$/.exec(ctx.path);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = signInPage(details.uid, details.params.client_id);
    return undefined;
  }
  if (ctx.method !== 'POST') {
    ctx.status = 405;
    return undefined;
  }
  const form = await formBody(ctx.req);
  const sub = form.get('sub');
  const mode = form.get('token') || 'valid';
  if (!sub || !TOKEN_MODES.has(mode)) {
    ctx.status = 400;
    ctx.body = 'sub is required, and token must be one of ' + [...TOKEN_MODES].join(', ');
    return undefined;
  }
  accounts.set(sub, claimsFrom(form));
  tokenModes.set(sub, mode);
  const grant = new provider.Grant({ accountId: sub, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  const result = { login: { accountId: sub }, consent: { grantId } };
  const to = await provider.interactionResult(ctx.req, ctx.res, result, {
    mergeWithLastSubmission: false,
  });
  ctx.status = 303;
  ctx.redirect(to);
  return undefined;
});

handler = provider.callback();
process.stdout.write(`${JSON.stringify({ issuer })}\n`);

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
