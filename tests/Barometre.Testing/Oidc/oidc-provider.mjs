// A real OpenID Connect provider on loopback for the sign-in tests (npm's oidc-provider), configured as ProConnect is:
// one confidential client (client_secret_post), authorisation code with PKCE (S256) required, ID token and userinfo
// signed with RS256 (userinfo as a JWT, application/jwt), the scopes openid, email, given_name and usual_name, acr
// values eidas1 and eidas2, and RP-initiated logout. Its login page is a form the test fills in: whoever the test
// names (sub, email, given_name, usual_name, email_verified, acr) signs in; no consent is asked.
//
// Usage: node oidc-provider.mjs NODE_MODULES SETTINGS_JSON, SETTINGS_JSON holding clientId, clientSecret,
// redirectUris and postLogoutRedirectUris. It prints {"issuer": "http://127.0.0.1:PORT"} once listening, and stops
// when its stdin closes.
import crypto from "node:crypto";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [nodeModules, settingsJson] = process.argv.slice(2);
const settings = JSON.parse(settingsJson);
// oidc-provider is an ES module: NODE_PATH does not reach it, so it is imported from the folder given.
const { default: Provider } = await import(pathToFileURL(path.join(nodeModules, "oidc-provider", "lib", "index.js")).href);

// The people who signed in, by sub: their claims as the login form gave them.
const accounts = new Map();

const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: "jwk" }), kid: "tests-rs256", alg: "RS256", use: "sig" };

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (body) => `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Fournisseur de test</title></head><body>${body}</body></html>`;

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) {
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

let provider;

// The login page of an interaction, and its form's target.
async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === "GET") {
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    res.end(page(`<form id="login" method="post" action="/interaction/${escape(details.uid)}/login">
<input name="sub"><input name="email"><input name="given_name"><input name="usual_name"><input name="email_verified"><input name="acr">
<button>Se connecter</button></form>`));
    return;
  }
  const form = await readForm(req);
  const sub = form.get("sub");
  const claims = { sub };
  for (const name of ["email", "given_name", "usual_name"]) {
    if (form.get(name)) {
      claims[name] = form.get(name);
    }
  }
  if (form.get("email_verified")) {
    claims.email_verified = form.get("email_verified") === "true";
  }
  accounts.set(sub, claims);
  await provider.interactionFinished(req, res, { login: { accountId: sub, acr: form.get("acr") || "eidas1" } }, { mergeWithLastSubmission: false });
}

const server = http.createServer((req, res) => {
  if (req.url.startsWith("/interaction/")) {
    interaction(req, res).catch((error) => {
      res.statusCode = 500;
      res.end(String(error));
    });
    return;
  }
  provider.callback()(req, res);
});

server.listen(0, "127.0.0.1", () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  provider = new Provider(issuer, {
    clients: [
      {
        client_id: settings.clientId,
        client_secret: settings.clientSecret,
        redirect_uris: settings.redirectUris,
        post_logout_redirect_uris: settings.postLogoutRedirectUris,
        response_types: ["code"],
        grant_types: ["authorization_code"],
        token_endpoint_auth_method: "client_secret_post",
        id_token_signed_response_alg: "RS256",
        userinfo_signed_response_alg: "RS256",
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [crypto.randomBytes(32).toString("hex")] },
    scopes: ["openid", "email", "given_name", "usual_name"],
    claims: { openid: ["sub"], email: ["email", "email_verified"], given_name: ["given_name"], usual_name: ["usual_name"] },
    acrValues: ["eidas1", "eidas2"],
    pkce: { methods: ["S256"], required: () => true },
    features: {
      devInteractions: { enabled: false },
      jwtUserinfo: { enabled: true },
      claimsParameter: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page(`${form}<button form="op.logoutForm" name="logout" value="yes">Se déconnecter</button>`);
        },
      },
    },
    interactions: { url: (ctx, details) => `/interaction/${details.uid}` },
    findAccount: async (ctx, sub) => ({
      accountId: sub,
      claims: async () => accounts.get(sub) ?? { sub },
    }),
    // Every scope and claim asked for is granted: the tests are about the client, not about consent.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope(ctx.oidc.params.scope);
      grant.addOIDCClaims(Array.from(ctx.oidc.requestParamClaims || []));
      await grant.save();
      return grant;
    },
    renderError: async (ctx, out) => {
      ctx.type = "html";
      ctx.body = page(`<h1>${escape(out.error)}</h1><p>${escape(out.error_description ?? "")}</p>`);
    },
  });
  process.stdout.write(JSON.stringify({ issuer }) + "\n");
});

process.stdin.on("end", () => server.close(() => process.exit(0)));
process.stdin.resume();
