using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Barometre.Core.Results;

/// <summary>
/// Writes theme maps (a segment's centroid, a respondent's scores) with their keys in the given theme order, not the
/// dictionary's; the rows of a <see cref="ThemeScoreTable"/> by column, looked up once per table.
/// </summary>
internal sealed class ThemeMapWriter
{
    private readonly IReadOnlyList<string> _themeIds;
    private readonly JsonEncodedText[] _names;
    private ThemeScoreTable? _table;
    private int[] _columns = [];

    public ThemeMapWriter(IReadOnlyList<string> themeIds, JavaScriptEncoder? encoder)
    {
        _themeIds = themeIds;
        _names = [.. themeIds.Select(id => JsonEncodedText.Encode(id, encoder))];
    }

    public void Write(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, double?> values) =>
        Write(writer, JsonEncodedText.Encode(name, writer.Options.Encoder), values, numbers: null);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Write(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyDictionary<string, double?> values, NumberTextCache? numbers)
    {
        writer.WriteStartObject(name);
        if (values is ThemeScoreRow row)
        {
            // Rows of one table share their themes: where each theme sits in them is looked up once.
            var columns = ColumnsOf(row.Table);
            for (var k = 0; k < _names.Length; k++)
            {
                if (columns[k] >= 0)
                {
                    var score = row.ScoreAt(columns[k]);
                    if (numbers is null)
                    {
                        ResultsJson.WriteNumber(writer, _names[k], score);
                    }
                    else
                    {
                        numbers.Write(writer, _names[k], score);
                    }
                }
            }
        }
        else
        {
            for (var k = 0; k < _names.Length; k++)
            {
                if (values.TryGetValue(_themeIds[k], out var v))
                {
                    ResultsJson.WriteNumber(writer, _names[k], v);
                }
            }
        }
        writer.WriteEndObject();
    }

    private int[] ColumnsOf(ThemeScoreTable table)
    {
        if (!ReferenceEquals(table, _table))
        {
            _columns = [.. _themeIds.Select(table.IndexOf)];
            _table = table;
        }
        return _columns;
    }
}
