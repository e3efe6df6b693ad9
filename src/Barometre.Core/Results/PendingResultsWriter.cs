using System.Text.Json;

namespace Barometre.Core.Results;

/// <summary>
/// Writes results whose silhouette is still being computed (<see cref="ResultsJson.Write(PendingResults, Stream)"/>),
/// byte for byte as <see cref="ResultsJson.Write(BarometerResults, Stream)"/> writes them once complete: the part after
/// the silhouette — the segments' members and the respondents' scores, most of the document — is formatted meanwhile,
/// into memory, then copied after the rest. What each field holds is <see cref="ResultsJson"/>'s business alone.
/// </summary>
internal static class PendingResultsWriter
{
    /// <summary>Writes <paramref name="pending"/> to <paramref name="stream"/>; returns the complete results.</summary>
    public static BarometerResults Write(PendingResults pending, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(stream);
        var tail = new ChunkedBufferWriter();
        long tailStart;
        using (var tailWriter = new Utf8JsonWriter(tail, ResultsJson.WriterOptions))
        {
            // The writer is brought to the state the document's writer is in right after the silhouette's value
            // (depth, indentation, a value just written), so that the bytes that follow are the same.
            tailWriter.WriteStartObject();
            tailWriter.WriteStartObject(ResultsJson.SegmentsName);
            tailWriter.WriteNumber(ResultsJson.KName, 0);
            tailWriter.WriteNumber(ResultsJson.SilhouetteName, 0);
            tailWriter.Flush();
            tailStart = tail.Length;
            ResultsJson.WriteAfterSilhouette(pending.Partial, tailWriter);
        }
        var results = pending.Complete();
        using (var writer = new Utf8JsonWriter(stream, ResultsJson.WriterOptions))
        {
            ResultsJson.WriteUpToSilhouette(results, writer);
            writer.Flush();
        }
        tail.CopyTo(stream, tailStart);
        return results;
    }
}
