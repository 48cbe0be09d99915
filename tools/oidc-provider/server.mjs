// A real OpenID Connect provider on loopback, for the tests of clusterkg's OIDC sign-in.
// Usage: node server.mjs PORT REDIRECT_URI CLIENT_ID CLIENT_SECRET
// Its development login screen accepts any login; the login becomes the subject (sub), and an
// e-mail claim login@example.org unless the login is itself an e-mail address.
import Provider from 'oidc-provider';

const [port, redirectUri, clientId, clientSecret] = process.argv.slice(2);
if (!port || !redirectUri || !clientId || !clientSecret) {
  console.error('usage: node server.mjs PORT REDIRECT_URI CLIENT_ID CLIENT_SECRET');
  process.exit(2);
}

const configuration = {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  async findAccount(ctx, id) {
    const email = id.includes('@') ? id : `${id}@example.org`;
    return { accountId: id, async claims() { return { sub: id, email, email_verified: true }; } };
  },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['clusterkg-test-only'] },
};

const provider = new Provider(`http://127.0.0.1:${port}`, configuration);
provider.listen(Number(port), '127.0.0.1');
console.log(`READY http://127.0.0.1:${port}`);
