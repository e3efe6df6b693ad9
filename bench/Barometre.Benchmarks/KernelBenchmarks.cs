using Barometre.Core;
using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Core.Statistics;
using Barometre.Core.Synthetic;
using Barometre.Data.Import;
using BenchmarkDotNet.Attributes;

namespace Barometre.Benchmarks;

/// <summary>
/// The computation's kernels on synthetic panels of the 2019 model (37 questions, 9 themes): each
/// benchmark runs one step of <see cref="Barometer.Compute"/> on inputs prepared once.
/// </summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private MaturityModel _model = null!;
    private ResponseSet _responses = null!;
    private byte[] _csv = [];
    private double[] _scores = [];
    private double[] _points = [];
    private int[] _labels = [];
    private int _themes;
    private BarometerResults _results = null!;

    /// <summary>Collectivités in the panel.</summary>
    [Params(39, 4_000, 40_000)]
    public int Respondents { get; set; }

    /// <summary>Questions in the model: the 2019 model's 37, or more spread over its 9 themes (as the reference's genpanel.py does).</summary>
    public int Questions { get; set; } = 37;

    [GlobalSetup]
    public void Setup()
    {
        _model = WithQuestions(ShippedModels.Load("maturite-numerique-2019"), Questions);
        _responses = SyntheticPanel.Generate(_model, new SyntheticPanelOptions { Respondents = Respondents, Seed = 7 });
        using (var buffer = new MemoryStream())
        {
            ResponsesCsv.Write(_responses, buffer);
            _csv = buffer.ToArray();
        }
        _themes = _model.Themes.Count;
        _scores = Barometer.ThemeScores(_responses);
        // Segmentation's input: theme scores with missing ones imputed by the theme's mean.
        _points = new double[_scores.Length];
        for (var theme = 0; theme < _themes; theme++)
        {
            var present = Enumerable.Range(0, Respondents).Select(r => _scores[(r * _themes) + theme]).Where(v => !double.IsNaN(v)).ToArray();
            var mean = present.Length > 0 ? present.Average() : 0;
            for (var r = 0; r < Respondents; r++)
            {
                var value = _scores[(r * _themes) + theme];
                _points[(r * _themes) + theme] = double.IsNaN(value) ? mean : value;
            }
        }
        _labels = KMeans.Fit(_points, _themes, 3, 10, 7).Labels.ToArray();
        _results = Barometer.Compute(_responses, new BarometerOptions { Seed = 7 });
    }

    [Benchmark(Description = "parse CSV")]
    public ResponseSet Parse() => ResponsesCsv.Read(new MemoryStream(_csv), "panel.csv", _model).GetValueOrThrow();

    [Benchmark(Description = "question counts")]
    public List<QuestionResult> QuestionCounts() => Barometer.QuestionDistributions(_responses);

    [Benchmark(Description = "theme scores")]
    public double[] ThemeScores() => Barometer.ThemeScores(_responses);

    [Benchmark(Description = "correlations")]
    public CorrelationResults Correlations() => Barometer.Correlations(_model, _scores);

    [Benchmark(Description = "k-means (10 starts)")]
    public KMeansResult KMeansFit() => KMeans.Fit(_points, _themes, 3, 10, 7);

    /// <summary>As the barometer computes it: pairs of scores on their lattice (themes of 3 to 5 questions) from whole numbers.</summary>
    [Benchmark(Description = "silhouette (exact)")]
    public double SilhouetteMean() => Silhouette.Mean(_points, _themes, _labels, 3, Barometer.ThemeScoreLattice(_model), maxDegreeOfParallelism: -1);

    [Benchmark(Description = "silhouette (doubles only)")]
    public double SilhouetteMeanOfDoubles() => Silhouette.Mean(_points, _themes, _labels, 3);

    [Benchmark(Description = "bootstrap (B = 1000)")]
    public (double, double)[] BootstrapIntervals() => Bootstrap.MeanIntervals(_scores, _themes, 1000, 7);

    [Benchmark(Description = "whole computation")]
    public BarometerResults Compute() => Barometer.Compute(_responses, new BarometerOptions { Seed = 7 });

    [Benchmark(Description = "write JSON")]
    public long WriteJson()
    {
        using var stream = new MemoryStream();
        ResultsJson.Write(_results, stream);
        return stream.Length;
    }

    /// <summary>The model with questions added to its themes in turn up to <paramref name="questions"/>.</summary>
    private static MaturityModel WithQuestions(MaturityModel model, int questions)
    {
        var added = Enumerable.Range(model.Questions.Count, Math.Max(0, questions - model.Questions.Count)).ToList();
        var themes = model.Themes.Select((theme, t) => new Theme(
            theme.Id,
            theme.Title,
            theme.Weight,
            [.. theme.Questions, .. added.Where(q => q % model.Themes.Count == t).Select(q => new Question($"{theme.Id}.q{q + 1}", $"Question {q + 1}"))],
            theme.ShortTitle,
            theme.Description));
        return new MaturityModel(model.Id, model.Title, model.Scale, themes, model.Indicators, model.Edition, model.Description);
    }
}
