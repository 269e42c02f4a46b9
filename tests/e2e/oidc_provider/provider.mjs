// A real third-party OpenID provider (panva's oidc-provider) for lienthong's end-to-end tests of
// national sign-on: the gateway signs people in here exactly as at the national provider.
//
// Configured by the environment (the test fixture sets it):
//   PORT            the loopback port to listen on; the issuer is http://127.0.0.1:<PORT>
//   REDIRECT_URIS   the gateway's /sso/callback URLs, comma-separated
//   CLIENT_SECRET   the secret of the clients "basic" and "post" (the tests give it +, % and /)
//   CLIENT_JWKS     optional: the public JWK Set of the client "jwt" (private_key_jwt)
//
// Clients: "basic" (client_secret_basic), "post" (client_secret_post) and, when CLIENT_JWKS is
// set, "jwt" (private_key_jwt). One RS256 signing key, made at start. The national claims are
// released under the scope "national" (from userinfo); accounts are seeded below, and the
// development interactions sign in whoever types an account id as login (any password).
import { generateKeyPairSync } from 'node:crypto';

import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const redirectUris = (process.env.REDIRECT_URIS || '').split(',').filter(Boolean);
const secret = process.env.CLIENT_SECRET;
if (!port || redirectUris.length === 0 || !secret) {
  console.error('PORT, REDIRECT_URIS and CLIENT_SECRET must be set');
  process.exit(2);
}

const ACCOUNTS = {
  '068090000123': {
    TechID: 'c9a3e1b2-0000-4000-8000-000000000123',
    LoaiTaiKhoan: 1,
    SoDinhDanh: '068090000123',
    HoVaTen: 'Nguyễn Thị Lan',
    NgayThangNamSinh: '19900215',
    MaSoDoanhNghiep: '',
    MaSoThue: '068090000123',
    TenDoanhNghiep: '',
    loAs: ['LoA1', 'LoA2'],
  },
  '0312345678': {
    TechID: 'c9a3e1b2-0000-4000-8000-000312345678',
    LoaiTaiKhoan: 2,
    SoDinhDanh: '068090000456',
    HoVaTen: 'Trần Văn Bình',
    NgayThangNamSinh: '19800101',
    MaSoDoanhNghiep: '0312345678',
    MaSoThue: '0312345678',
    TenDoanhNghiep: 'Công ty TNHH Đà Lạt Xanh',
    loAs: ['LoA1'],
  },
};
const NATIONAL = Object.keys(ACCOUNTS['068090000123']);

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'e2e-1', use: 'sig', alg: 'RS256' };

const client = (clientId, method, extra = {}) => ({
  client_id: clientId,
  token_endpoint_auth_method: method,
  redirect_uris: redirectUris,
  post_logout_redirect_uris: redirectUris.map((uri) => new URL('/', uri).href),
  response_types: ['code'],
  grant_types: ['authorization_code'],
  id_token_signed_response_alg: 'RS256',
  ...extra,
});

const clients = [
  client('basic', 'client_secret_basic', { client_secret: secret }),
  client('post', 'client_secret_post', { client_secret: secret }),
];
if (process.env.CLIENT_JWKS) {
  clients.push(client('jwt', 'private_key_jwt', { jwks: JSON.parse(process.env.CLIENT_JWKS) }));
}

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [signingKey] },
  scopes: ['openid', 'national'],
  claims: { openid: ['sub'], national: NATIONAL },
  acrValues: ['LoA1', 'LoA2'],
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    const account = ACCOUNTS[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: account.TechID, ...account };
      },
    };
  },
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening at ${issuer}`);
});
