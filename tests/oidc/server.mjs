// A real OpenID provider (npm oidc-provider) on loopback for the identity tests. The test fixture starts it with
// `node server.mjs`, reads "READY <port>" from stdout, and stops it; it also exits when its stdin closes, so it
// never outlives the test run.
//
// Tokens: client_credentials at /token with a resource indicator; the resource chooses the signing algorithm
// (urn:extauthz:rs256 → RS256, urn:extauthz:es256 → ES256) and becomes the JWT access token's aud. The JSON object
// in the request header `x-test-claims` is added to the token's claims (email, email_verified, groups…).
//
// Test controls (outside the provider):
//   POST /admin/keys {"keys": ["rsa-1", "ec-1"]}  publish exactly these keys (made on first use, kid = name);
//                                                 the first key of each type signs.
//   GET  /admin/stats                             {"jwks": n, "discovery": n} requests served so far.
//   POST /admin/account {"email": e, "groups": []} the user the next browser sign-in logs in as.
//
// Browser sign-in (authorization code flow, for the login tests): client `extauthz-login` (client_secret_basic,
// PKCE, redirect URI http://gateway.test/oauth2/callback). The provider's interaction pages are answered at once for
// the account set by /admin/account (login, then consent to every requested scope), so a test's HTTP client plays the
// browser by following redirects. ID tokens carry email, email_verified and groups.
import http from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const made = new Map();
const accounts = new Map();
let nextAccount = 'alice@example.com';
const stats = { jwks: 0, discovery: 0 };
let provider;
let handler;

function key(name) {
  if (!made.has(name)) {
    const pair = name.startsWith('ec')
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = pair.privateKey.export({ format: 'jwk' });
    made.set(name, { ...jwk, kid: name, use: 'sig', alg: name.startsWith('ec') ? 'ES256' : 'RS256' });
  }
  return made.get(name);
}

function build(issuer, names) {
  const next = new Provider(issuer, {
    clients: [{
      client_id: 'extauthz-test',
      client_secret: 'extauthz-test-secret',
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_post',
    }, {
      client_id: 'extauthz-login',
      client_secret: 'extauthz-login-secret',
      grant_types: ['authorization_code', 'refresh_token'],
      redirect_uris: ['http://gateway.test/oauth2/callback'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    findAccount: (ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: id, email_verified: true, groups: accounts.get(id) ?? [] }),
    }),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], groups: ['groups'], profile: ['name'] },
    scopes: ['openid', 'email', 'groups', 'profile', 'offline_access'],
    conformIdTokenClaims: false,
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    jwks: { keys: names.map(key) },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => 'urn:extauthz:rs256',
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, resource) => {
          if (!resource.startsWith('urn:extauthz:')) {
            throw new Error('unknown resource');
          }
          return {
            scope: 'api',
            audience: resource,
            accessTokenTTL: 600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: resource.endsWith('es256') ? 'ES256' : 'RS256' } },
          };
        },
      },
    },
    // Test claims ride in a request header: the token endpoint drops unknown form parameters.
    extraTokenClaims: (ctx) => JSON.parse(ctx.get('x-test-claims') || '{}'),
  });
  next.on('server_error', (ctx, err) => console.error('server_error', err));
  return next;
}

function answer(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  const path = req.url.split('?')[0];
  if (path === '/admin/stats') {
    answer(res, 200, stats);
    return;
  }
  if (path === '/admin/keys' && req.method === 'POST') {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      const names = JSON.parse(body).keys;
      provider = build(provider.issuer, names);
      handler = provider.callback();
      answer(res, 200, { keys: names });
    });
    return;
  }
  if (path === '/admin/account' && req.method === 'POST') {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      const account = JSON.parse(body);
      nextAccount = account.email;
      accounts.set(account.email, account.groups ?? []);
      answer(res, 200, account);
    });
    return;
  }
  if (path.startsWith('/interaction/')) {
    interact(req, res).catch((err) => answer(res, 500, { error: String(err) }));
    return;
  }
  if (path === '/jwks') stats.jwks += 1;
  if (path === '/.well-known/openid-configuration') stats.discovery += 1;
  handler(req, res);
});

// Signs in the account of /admin/account and grants every requested scope, without a page.
async function interact(req, res) {
  const details = await provider.interactionDetails(req, res);
  let result;
  if (details.prompt.name === 'login') {
    result = { login: { accountId: nextAccount } };
  } else {
    const grant = new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    result = { consent: { grantId: await grant.save() } };
  }
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  provider = build(`http://127.0.0.1:${port}`, ['rsa-1', 'ec-1']);
  handler = provider.callback();
  console.log(`READY ${port}`);
});

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
