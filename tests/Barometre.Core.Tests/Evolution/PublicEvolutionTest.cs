using Barometre.Core.Evolution;
using Barometre.Core.Model;
using Barometre.Core.Publication;
using Barometre.Core.Responses;

namespace Barometre.Core.Tests.Evolution;

/// <summary>
/// <see cref="PublicEvolution"/>: a change only where both editions' plans publish the figure, its interval and tests
/// only where the collectivités in both editions are a group secrecy allows.
/// </summary>
public sealed class PublicEvolutionTest
{
    private static readonly MaturityModel Model = new(
        "m", "M", null,
        [new Theme("A", "A", 1, [new Question("A.a1", "a1"), new Question("A.a2", "a2")]), new Theme("B", "B", 1, [new Question("B.b1", "b1")])],
        [],
        edition: "2019");

    private static Respondent Member(int n, string type = "commune") => new($"C{n}", $"Collectivité {n}", type, 5_000 + n, "Bretagne");

    private static ResponseSet Panel(IReadOnlyList<Respondent> members, int shift) =>
        new(Model, members, [.. members.SelectMany((_, i) => new[] { (sbyte)((i + shift) % 5), (sbyte)(((2 * i) + shift) % 5), (sbyte)(((3 * i) + 1 + shift) % 5) })]);

    private static PublicEvolution Evolution(ResponseSet before, int beforeThreshold, ResponseSet after, int afterThreshold) =>
        new(new EditionMapping(Model, Model), before, Barometer.Compute(before), SecrecyPlan.Build(before, beforeThreshold),
            after, Barometer.Compute(after), SecrecyPlan.Build(after, afterThreshold));

    [Fact]
    public void ForFilter_SamePanelAgain_ShowsChangeIntervalAndTests()
    {
        var members = Enumerable.Range(1, 10).Select(n => Member(n)).ToList();
        var before = Panel(members, 0);
        var after = Panel(members, 1);

        var view = Evolution(before, 5, after, 5).ForFilter(PanelFilter.WholePanel);

        var a = view.Themes.Single(t => t.Id == "A");
        Assert.False(a.Suppressed);
        Assert.False(a.TestsSuppressed);
        Assert.Equal(10, a.Change!.Paired.N);
        Assert.Equal(Barometer.Compute(after).Themes[0].Mean - Barometer.Compute(before).Themes[0].Mean, a.Change.Delta);
        Assert.NotNull(a.Significant);
        Assert.Equal((10, 10), (view.Before.Respondents, view.After.Respondents));
    }

    [Fact]
    public void ForFilter_EditionsDifferingByOneCollectivite_HidesIntervalAndTests()
    {
        var members = Enumerable.Range(1, 10).Select(n => Member(n)).ToList();
        var before = Panel(members, 0);
        var after = Panel([.. members, Member(11)], 1);

        var view = Evolution(before, 5, after, 5).ForFilter(PanelFilter.WholePanel);

        // Before, after and delta are both editions' published figures; the overlap (10 of 11) is not a group to describe.
        Assert.All(view.Themes.Append(view.Index), change =>
        {
            Assert.False(change.Suppressed);
            Assert.True(change.TestsSuppressed);
            Assert.Null(change.Significant);
            Assert.Equal((null, null), (change.Change!.Ci95.Low, change.Change.Ci95.High));
            Assert.Equal((0, null, null), (change.Change.Paired.N, change.Change.Paired.Statistic, change.Change.Paired.PValue));
            Assert.Null(change.Change.Unpaired.PValue);
        });
    }

    [Fact]
    public void ForFilter_GroupSecretInOneEdition_WithholdsTheChange()
    {
        // Three métropoles: published at N = 3 in the earlier edition, secret at N = 5 in the later one.
        var members = Enumerable.Range(1, 10).Select(n => Member(n)).Concat(Enumerable.Range(11, 3).Select(n => Member(n, "métropole"))).ToList();
        var evolution = Evolution(Panel(members, 0), 3, Panel(members, 1), 5);

        var metropoles = evolution.ForFilter(new PanelFilter(Type: "métropole"));

        Assert.All(metropoles.Themes.Append(metropoles.Index), change => Assert.True(change.Suppressed && change.TestsSuppressed && change.Change is null));
        Assert.Equal((3, null), (metropoles.Before.Respondents, metropoles.After.Respondents));
    }

    [Fact]
    public void ForFilter_CollectiviteThatChangedType_IsNotPaired()
    {
        var members = Enumerable.Range(1, 10).Select(n => Member(n)).ToList();
        var moved = members.Select(m => m.Code == "C1" ? m with { Type = "métropole" } : m).ToList();

        var view = Evolution(Panel(members, 0), 5, Panel(moved, 1), 5).ForFilter(PanelFilter.WholePanel);

        // Nine pairs out of ten on each side: the mover stands alone in each edition, fewer than N.
        Assert.True(view.Themes.Single(t => t.Id == "A").TestsSuppressed);
        var unpaired = Evolution(Panel(members, 0), 1, Panel(moved, 1), 1).ForFilter(PanelFilter.WholePanel).Themes.Single(t => t.Id == "A");
        Assert.Equal(9, unpaired.Change!.Paired.N);
    }
}
