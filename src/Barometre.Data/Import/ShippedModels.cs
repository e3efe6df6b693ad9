using Barometre.Core.Model;

namespace Barometre.Data.Import;

/// <summary>The maturity models shipped with Baromètre (the repository's <c>models/</c> folder, embedded).</summary>
public static class ShippedModels
{
    private const string Prefix = "models/";
    private const string Extension = ".yaml";

    /// <summary>The ids of the shipped models, for example <c>maturite-numerique-2019</c>.</summary>
    public static IReadOnlyList<string> Ids { get; } =
    [
        .. typeof(ShippedModels).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith(Extension, StringComparison.Ordinal))
            .Select(name => name[Prefix.Length..^Extension.Length])
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>Loads a shipped model by id.</summary>
    /// <exception cref="ArgumentException">No shipped model has this id.</exception>
    /// <exception cref="InvalidInputException">The shipped file is invalid (a packaging error; tests prevent it).</exception>
    public static MaturityModel Load(string id)
    {
        using var shipped = TryOpen(id) ?? throw new ArgumentException($"No shipped model has the id {id}.", nameof(id));
        return shipped.Read().GetValueOrThrow();
    }

    internal static ShippedModel? TryOpen(string id)
    {
        var stream = typeof(ShippedModels).Assembly.GetManifestResourceStream(Prefix + id + Extension);
        return stream is null ? null : new ShippedModel(id, stream);
    }

    internal sealed class ShippedModel(string id, Stream stream) : IDisposable
    {
        public string Source => $"{Prefix}{id}{Extension}";

        public ImportResult<MaturityModel> Read()
        {
            using var reader = new StreamReader(stream);
            return ModelFile.Read(reader, Source);
        }

        public string Text()
        {
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }

        public void Dispose() => stream.Dispose();
    }
}
