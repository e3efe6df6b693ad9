using Barometre.Core;
using Barometre.Data;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Barometre.Web;

/// <summary>
/// Endpoint metadata: a body limit worked out from the request itself (a theme page's form holds as many answers as
/// the theme has questions). Takes precedence over <see cref="IRequestSizeLimitMetadata"/>.
/// </summary>
public interface IRequestBodyLimit
{
    /// <summary>The most bytes the request's body may hold.</summary>
    ValueTask<long> LimitAsync(HttpContext context);
}

/// <summary>
/// How big a request body may be, fitted to what each endpoint reads: the endpoint's <see cref="IRequestBodyLimit"/> or
/// <see cref="IRequestSizeLimitMetadata"/> (<c>[RequestSizeLimit]</c>; the operators' uploads keep theirs), else
/// <see cref="Default"/>. Held before anything reads the body, on every server: a declared Content-Length over the limit
/// gets 413 at once, without a byte read; any other body is cut at the limit, by the server's own limit (Kestrel) and
/// by a counting stream (for servers without one, like the test server). 413 comes as a French problem on the API and as
/// the French error page elsewhere.
/// </summary>
public static class RequestBodyLimits
{
    /// <summary>The most bytes a character takes in a url-encoded form: three UTF-8 bytes percent-encoded, « %E2%82%AC ».</summary>
    public const int FormBytesPerCharacter = 9;

    /// <summary>The most bytes a character takes in JSON: escaped, « \u00e9 ».</summary>
    public const int JsonBytesPerCharacter = 6;

    /// <summary>The characters of one answer's texts at most: comment, justification and link.</summary>
    public const int AnswerCharacters = (2 * FieldLimits.AnswerText) + FieldLimits.Url;

    /// <summary>What a form carries besides its texts: the antiforgery token, the fields' names, the button (4 Ko).</summary>
    public const long FormOverhead = 4 * 1024;

    /// <summary>
    /// <c>PUT /api/questionnaire/{token}/answers/{questionId}</c> (64 Ko): one answer in JSON with every character escaped
    /// (<see cref="AnswerCharacters"/> × <see cref="JsonBytesPerCharacter"/>, 60 000 bytes), and room for the members' names
    /// and spacing.
    /// </summary>
    public const long AnswerJson = 64 * 1024;

    /// <summary><c>POST /api/questionnaire/{token}/submit</c>: no body is read (1 Ko).</summary>
    public const long Submit = 1024;

    /// <summary>
    /// A theme page's form, per question: its texts twice (the fields, and the hidden copy of the answer as it was loaded,
    /// which tells whether the person changed it), its id, version and choice (≈ 181 Ko).
    /// </summary>
    public const long ThemeFormPerQuestion = ((2L * AnswerCharacters) + FieldLimits.Name + 100) * FormBytesPerCharacter;

    /// <summary>« Qui êtes-vous ? » (a name and an e-mail) and the questionnaire's other small forms (≈ 8,6 Ko).</summary>
    public const long ContributorForm = ((FieldLimits.Name + FieldLimits.Email) * FormBytesPerCharacter) + FormOverhead;

    /// <summary>
    /// Every other request but the operators' uploads (128 Ko): the largest such form is the operator's answer to one
    /// question (its texts and question id, ≈ 94 Ko).
    /// </summary>
    public const long Default = 128 * 1024;

    /// <summary>The limit of a theme page's form with <paramref name="questions"/> questions.</summary>
    public static long ThemeForm(int questions) => FormOverhead + (questions * ThemeFormPerQuestion);

    /// <summary>A size as the messages write it, « 64 Ko ».</summary>
    public static string Describe(long bytes) => $"{FrenchFormat.Count((bytes + 1023) / 1024)}{FrenchFormat.NarrowNoBreakSpace}Ko";

    /// <summary>Holds every request to its endpoint's limit; after routing, which chooses the endpoint.</summary>
    public static IApplicationBuilder UseRequestBodyLimits(this IApplicationBuilder app) => app.Use(LimitAsync);

    private static readonly object Applied = new();

    private static async Task LimitAsync(HttpContext context, RequestDelegate next)
    {
        // An error page re-executed for this request (413 included) runs the pipeline again: limited already.
        if (!context.Items.TryAdd(Applied, true) || await LimitOfAsync(context) is not { } limit)
        {
            await next(context);
            return;
        }
        // The server's own limit too (Kestrel): it also bounds what it drains of a body left unread.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } server)
        {
            server.MaxRequestBodySize = limit;
        }
        if (context.Request.ContentLength > limit)
        {
            await RefuseAsync(context, limit);
            return;
        }
        var body = new LimitedBody(context.Request.Body, limit);
        context.Request.Body = body;
        var exceeded = false;
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && (body.Exceeded || IsTooLarge(e)))
        {
            // Whatever the reader made of the cut (an exception, or a 400 of its own below), the answer is 413.
            exceeded = true;
        }
        finally
        {
            context.Request.Body = body.Inner;
        }
        if ((exceeded || body.Exceeded) && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await RefuseAsync(context, limit);
        }
    }

    /// <summary>Whether an exception comes from a body over the limit (ours, or the server's own).</summary>
    private static bool IsTooLarge(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The endpoint's limit; null when it has none (<c>[DisableRequestSizeLimit]</c>).</summary>
    private static async ValueTask<long?> LimitOfAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        var bodiless = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        if (!bodiless && metadata?.GetMetadata<IRequestBodyLimit>() is { } computed)
        {
            return await computed.LimitAsync(context);
        }
        return metadata?.GetMetadata<IRequestSizeLimitMetadata>() is { } declared ? declared.MaxRequestBodySize : Default;
    }

    private static Task RefuseAsync(HttpContext context, long limit)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Requête trop volumineuse",
                detail: $"Le corps de la requête dépasse {Describe(limit)}, la taille admise à cette adresse : rien n'a été lu ni enregistré.").ExecuteAsync(context);
        }
        // The status code pages show the French error page, which must not read the refused body (a page's model binding
        // reads any form): the request it sees has none.
        context.Request.Body = Stream.Null;
        context.Request.ContentType = null;
        context.Request.ContentLength = 0;
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        return Task.CompletedTask;
    }

    /// <summary>The request body, read up to the limit: one byte past it and reading stops with a 413.</summary>
    private sealed class LimitedBody(Stream inner, long limit) : Stream
    {
        private long _read;

        public Stream Inner { get; } = inner;

        /// <summary>Whether the body went past the limit (counted here, or by the server's own limit).</summary>
        public bool Exceeded { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(Guard(() => Inner.Read(buffer, offset, Allowed(count))));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return Count(await Inner.ReadAsync(buffer[..Allowed(buffer.Length)], cancellationToken));
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                Exceeded = true;
                throw;
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        /// <summary>At most one byte past the limit is ever asked for: enough to know the body is too long.</summary>
        private int Allowed(int count) => (int)Math.Min(count, Math.Max(1, limit - _read + 1));

        private int Count(int read)
        {
            _read += read;
            if (_read > limit)
            {
                Exceeded = true;
                throw new BadHttpRequestException($"Request body over {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
            }
            return read;
        }

        private int Guard(Func<int> read)
        {
            try
            {
                return read();
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                Exceeded = true;
                throw;
            }
        }
    }
}
