using System.Net;
using System.Security.Cryptography;
using System.Text;
using Barometre.Web.Security;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Barometre.Web.Tests.Security;

/// <summary>
/// A userinfo response sent as a JWT passes only signed by one of the provider's keys, for this client, by this issuer
/// (ASP.NET Core's handler would read it unchecked); JSON passes as it is. The end-to-end flow with a real provider's
/// signed userinfo is in <see cref="ProviderSignInTests{TDatabase}"/>.
/// </summary>
public sealed class SignedUserInfoCheckTests
{
    private const string Issuer = "https://fournisseur.exemple.fr";
    private const string ClientId = "client-barometre";

    private static readonly RsaSecurityKey ProviderKey = new(RSA.Create(2048)) { KeyId = "cle-du-fournisseur" };
    private static readonly RsaSecurityKey OtherKey = new(RSA.Create(2048)) { KeyId = "cle-du-fournisseur" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignedByTheProvider_PassesUnchanged()
    {
        var jwt = Token(ProviderKey);

        using var response = await SendAsync("application/jwt", jwt);

        Assert.Equal("application/jwt", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(jwt, await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("another key")]
    [InlineData("unsigned")]
    [InlineData("another audience")]
    [InlineData("another issuer")]
    [InlineData("altered payload")]
    [InlineData("not a JWT")]
    public async Task AnythingElse_FailsTheExchange(string forgery)
    {
        var jwt = forgery switch
        {
            "another key" => Token(OtherKey),
            "unsigned" => Token(null),
            "another audience" => Token(ProviderKey, audience: "un-autre-client"),
            "another issuer" => Token(ProviderKey, issuer: "https://autre.exemple.fr"),
            "altered payload" => Altered(Token(ProviderKey)),
            _ => "ceci n'est pas un jeton",
        };

        await Assert.ThrowsAnyAsync<SecurityTokenException>(() => SendAsync("application/jwt", jwt));
    }

    [Fact]
    public async Task Json_PassesAsItIs()
    {
        const string json = """{"sub":"abc","email":"agent@exemple.fr"}""";

        using var response = await SendAsync("application/json", json);

        Assert.Equal(json, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<HttpResponseMessage> SendAsync(string mediaType, string body)
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
        configuration.SigningKeys.Add(ProviderKey);
        var options = new OpenIdConnectOptions { ClientId = ClientId, ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration) };
        using var invoker = new HttpMessageInvoker(new SignedUserInfoCheck(options, new Answer(mediaType, body)));
        using var request = new HttpRequestMessage(HttpMethod.Get, Issuer + "/userinfo");
        return await invoker.SendAsync(request, Ct);
    }

    private static string Token(RsaSecurityKey? key, string issuer = Issuer, string audience = ClientId) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = new Dictionary<string, object> { ["sub"] = "abc", ["email"] = "agent@exemple.fr" },
            SigningCredentials = key is null ? null : new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });

    /// <summary>The same token with another address in its payload, its signature kept.</summary>
    private static string Altered(string jwt)
    {
        var parts = jwt.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("agent@exemple.fr", "admin@exemple.fr", StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }

    /// <summary>The provider's endpoint: one answer with this media type.</summary>
    private sealed class Answer(string mediaType, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, mediaType) });
    }
}
