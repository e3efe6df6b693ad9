using System.Text;
using System.Text.Json;
using Barometre.Core.Results;

namespace Barometre.Core.Tests.Results;

public sealed class ResultsJsonTest
{
    private static BarometerResults HandResults(int k = 2) =>
        Barometer.Compute(TestPanels.HandPanel(), new BarometerOptions { K = k, Bootstrap = 50 });

    [Fact]
    public void Write_KeysInContractOrder()
    {
        using var document = JsonDocument.Parse(ResultsJson.Serialize(HandResults()));

        Assert.Equal(
            ["schemaVersion", "referential", "respondents", "questions", "indicators", "themes", "correlations", "segments", "scores", "parameters", "warnings"],
            document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["id", "theme", "answered", "counts", "shares", "atLeast"],
            document.RootElement.GetProperty("questions")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["id", "question", "predicate", "count", "answered", "value", "ci95", "statement"],
            document.RootElement.GetProperty("indicators")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["id", "title", "scored", "mean", "median", "q1", "q3", "rank", "alpha", "ci95"],
            document.RootElement.GetProperty("themes")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["code", "nom", "type", "index", "themes", "segment"],
            document.RootElement.GetProperty("scores")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["label", "size", "meanIndex", "centroid", "members"],
            document.RootElement.GetProperty("segments").GetProperty("groups")[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Write_UndefinedValuesAreNull_NeverNaN()
    {
        var json = ResultsJson.Serialize(Barometer.Compute(TestPanels.Uniform(3, Responses.CellCode.DontKnow)));

        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        var theme = document.RootElement.GetProperty("themes")[0];
        Assert.Equal(JsonValueKind.Null, theme.GetProperty("mean").ValueKind);
        Assert.Equal(JsonValueKind.Null, theme.GetProperty("rank").ValueKind);
        Assert.Equal([JsonValueKind.Null, JsonValueKind.Null], theme.GetProperty("ci95").EnumerateArray().Select(e => e.ValueKind));
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("scores")[0].GetProperty("type").ValueKind);
    }

    [Fact]
    public void Write_KeepsAccentsReadable()
    {
        var json = ResultsJson.Serialize(HandResults(k: 3));

        // Letters stay as they are; the invisible narrow no-break space is written \u202F, which parsers decode.
        Assert.Contains("\"Stratèges\"", json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        Assert.Equal("67\u202F% des collectivités ont au moins 2 en A1", document.RootElement.GetProperty("indicators")[0].GetProperty("statement").GetString());
    }

    /// <summary>A panel large enough for the writer to hand its text out in several blocks.</summary>
    private static BarometerResults LargeResults() => Barometer.Compute(LargePanel(3000), new BarometerOptions { K = 3, Bootstrap = 20 });

    private static Responses.ResponseSet LargePanel(int respondents)
    {
        var model = TestPanels.TwoThemes();
        var random = new Random(5);
        sbyte[] answers = [0, 1, 2, 3, 4, Responses.CellCode.Blank, Responses.CellCode.DontKnow, Responses.CellCode.NotConcerned];
        return new Responses.ResponseSet(
            model,
            Enumerable.Range(1, respondents).Select(i => new Responses.Respondent($"C{i}", $"Collectivité « {i} »", i % 3 == 0 ? null : "commune")),
            Enumerable.Range(0, respondents * model.Questions.Count).Select(_ => answers[random.Next(answers.Length)]).ToArray());
    }

    [Fact]
    public void Write_LargePanel_SameAsWithDictionaryScores()
    {
        var results = LargeResults();
        var withDictionaries = results with
        {
            Scores = [.. results.Scores.Select(s => s with { Themes = s.Themes.ToDictionary(StringComparer.Ordinal) })],
        };

        var json = ResultsJson.Serialize(results);

        Assert.True(json.Length > 1 << 18);
        Assert.Equal(ResultsJson.Serialize(withDictionaries), json);
    }

    [Theory]
    [InlineData(8_000, 3, true, Traits = ["Size", "Large"])]      // a silhouette, a tail over 1 MiB (two chunks)
    [InlineData(8_000, 3, false, Traits = ["Size", "Large"])]     // no silhouette asked: null
    [InlineData(4, 2, true)]          // the hand panel's size
    [InlineData(2, 3, true)]          // too few to segment: no segments, a warning
    public void Write_PendingResults_AreByteForByteTheCompleteResults(int respondents, int k, bool silhouette)
    {
        var responses = LargePanel(respondents);
        var options = new BarometerOptions { K = k, Bootstrap = 20, Silhouette = silhouette };

        using var pendingJson = new MemoryStream();
        var written = ResultsJson.Write(Barometer.Start(responses, options), pendingJson);
        using var completeJson = new MemoryStream();
        ResultsJson.Write(Barometer.Compute(responses, options), completeJson);

        Assert.Equal(completeJson.ToArray(), pendingJson.ToArray());
        Assert.Equal(ResultsJson.Serialize(written), Encoding.UTF8.GetString(pendingJson.ToArray()));
        Assert.Equal(respondents >= 8_000, pendingJson.Length > 1 << 20);
    }

    [Fact]
    public void Start_LeavesOnlyTheSilhouetteToComplete()
    {
        var responses = LargePanel(500);
        var options = new BarometerOptions { K = 3, Bootstrap = 20 };

        var pending = Barometer.Start(responses, options);
        var complete = pending.Complete();

        Assert.Null(pending.Partial.Segments.Silhouette);
        Assert.NotNull(complete.Segments.Silhouette);
        Assert.Same(complete, pending.Complete());
        Assert.Equal(ResultsJson.Serialize(Barometer.Compute(responses, options)), ResultsJson.Serialize(complete));
        Assert.Equal(ResultsJson.Serialize(complete with { Segments = complete.Segments with { Silhouette = null } }), ResultsJson.Serialize(pending.Partial));
    }

    [Fact]
    public void Write_CallersWriter_GetsTheSameDocument()
    {
        var results = LargeResults();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();

        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            ResultsJson.Write(results, writer);
        }

        Assert.Equal(ResultsJson.Serialize(results), Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Write_CallersWriterWithDefaultEncoder_EscapesAsThatWriter()
    {
        var results = HandResults(k: 3);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();

        using (var writer = new Utf8JsonWriter(buffer))
        {
            ResultsJson.Write(results, writer);
        }

        var json = Encoding.UTF8.GetString(buffer.WrittenSpan);
        Assert.DoesNotContain("Stratèges", json, StringComparison.Ordinal);
        Assert.Contains("\"segment\":\"Strat\\u00E8ges\"", json, StringComparison.Ordinal);
        Assert.Equal(ResultsJson.Serialize(results), ResultsJson.Serialize(ResultsJson.Read(new MemoryStream(buffer.WrittenSpan.ToArray()))));
    }

    [Fact]
    public void Read_WhatWriteWrote_RoundTrips()
    {
        var json = ResultsJson.Serialize(HandResults());

        var read = ResultsJson.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(json, ResultsJson.Serialize(read));
    }

    [Fact]
    public void Read_NotJson_ThrowsInvalidData()
    {
        var error = Assert.Throws<InvalidDataException>(() => ResultsJson.Read(new MemoryStream("{ pas du json"u8.ToArray())));

        Assert.Contains("JSON invalide", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OtherSchemaVersion_ThrowsInvalidData()
    {
        var error = Assert.Throws<InvalidDataException>(() => ResultsJson.Read(new MemoryStream("""{"schemaVersion": 2}"""u8.ToArray())));

        Assert.Contains("Schéma de résultats 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingMember_ThrowsInvalidData()
    {
        var error = Assert.Throws<InvalidDataException>(() => ResultsJson.Read(new MemoryStream("""{"schemaVersion": 1, "referential": "x"}"""u8.ToArray())));

        Assert.Contains("non conforme", error.Message, StringComparison.Ordinal);
    }
}
