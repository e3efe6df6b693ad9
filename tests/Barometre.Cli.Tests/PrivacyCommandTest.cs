using System.Globalization;
using Barometre.Data.Import;
using Microsoft.Extensions.Time.Testing;

namespace Barometre.Cli.Tests;

/// <summary>
/// <c>barometre campaign create --retention-months</c>, <c>campaign retention</c>, <c>campaign purge</c> (refused before
/// its time, a dry run, <c>--early</c>, counts per kind, idempotent) and <c>privacy register</c>, on SQLite and PostgreSQL.
/// </summary>
public abstract class PrivacyCommandTest : CliStoreTest
{
    private const string Model = "maturite-numerique-2019";
    private static readonly IReadOnlyList<string> Questions = [.. ShippedModels.Load(Model).Questions.Select(q => q.Id)];

    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 30, 0, TimeSpan.Zero);

    private Task<CliRun> RunAsync(DateTimeOffset at, params string[] args) => Cli.RunAsync([.. args, .. Store.Options], clock: new FakeTimeProvider(at));

    private async Task<string> ClosedCampaignAsync(params string[] createOptions)
    {
        var panel = "code;nom;type;population;region;email\n"
            + string.Concat(Enumerable.Range(1, 3).Select(n => $"RG{n:D3};Commune n°{n};commune;{8_000 + n};Occitanie;mairie{n}@exemple.fr\n"));
        var created = await RunAsync(Start, ["campaign", "create", "--model", Model, "--name", "Baromètre RGPD", "--panel", Store.File("panel.csv", panel), .. createOptions]);
        Assert.True(created.ExitCode == 0, created.Error);
        var id = created.Out.Trim();
        var responses = "code;nom;" + string.Join(';', Questions) + "\n"
            + string.Concat(Enumerable.Range(1, 3).Select(n => $"RG{n:D3};Commune;{string.Join(';', Questions.Select((_, q) => ((n + q) % 5).ToString(CultureInfo.InvariantCulture)))}\n"));
        Assert.Equal(0, (await RunAsync(Start, "campaign", "import-answers", "-c", id, "--responses", Store.File("reponses.csv", responses), "--submit")).ExitCode);
        Assert.Equal(0, (await RunAsync(Start, "campaign", "close", "-c", id)).ExitCode);
        return id;
    }

    [Fact]
    public async Task Purge_RefusedBeforeItsTime_DryRunCounts_EarlyErases_ThenNothingLeft()
    {
        var id = await ClosedCampaignAsync("--retention-months", "6");

        var early = await RunAsync(Start.AddMonths(1), "campaign", "purge", "-c", id);
        var dryRun = await RunAsync(Start.AddMonths(1), "campaign", "purge", "-c", id, "--early", "--dry-run");
        var erased = await RunAsync(Start.AddMonths(1), "campaign", "purge", "-c", id, "--early");
        var again = await RunAsync(Start.AddMonths(7), "campaign", "purge", "-c", id);

        Assert.Equal(ExitCodes.InvalidInput, early.ExitCode);
        Assert.Equal("barometre : La durée de conservation des données personnelles de la campagne « Baromètre RGPD » court jusqu'au 7 juin 2027 "
            + "(6 mois après la clôture de la campagne) : rien n'est effacé avant. Pour effacer dès maintenant, sur décision du responsable du traitement, "
            + "demandez-le explicitement (--early).", early.Error.Trim());
        // The panel's three addresses: the answers and submissions were imported by the command, so no contributor's name.
        const string Counts = "contributeurs (nom et adresse)\t0\nréponses (auteur)\t0\ntransmissions (auteur)\t0\nadresses des collectivités\t3\ncourriels (destinataire)\t0\nentrées du journal\t0\n";
        Assert.Equal((0, Counts, "Rien n'a été effacé (--dry-run) : 3 enregistrements seraient modifiés."), (dryRun.ExitCode, dryRun.Out.ReplaceLineEndings("\n"), dryRun.Error.Trim()));
        Assert.Equal((0, Counts), (erased.ExitCode, erased.Out.ReplaceLineEndings("\n")));
        Assert.Equal("Données personnelles effacées : 3 enregistrements modifiés (inscrit au journal, sans les valeurs effacées).", erased.Error.Trim());
        Assert.Equal(0, again.ExitCode);
        Assert.Equal("Rien à effacer : les données personnelles de la campagne ont été effacées le 7 janvier 2027.", again.Error.Trim());
        var status = await RunAsync(Start.AddMonths(7), "campaign", "status", "-c", id);
        Assert.DoesNotContain("mairie1@exemple.fr", status.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retention_IsCheckedAndChanged_AndTheRegisterSaysIt()
    {
        var invalid = await RunAsync(Start, "campaign", "create", "--model", Model, "--name", "X", "--panel", Store.File("p.csv", "code;nom\nA1;A\n"), "--retention-months", "0");
        var id = await ClosedCampaignAsync();

        var changed = await RunAsync(Start, "campaign", "retention", "-c", id, "--months", "36");
        var register = await RunAsync(Start, ["privacy", "register", "--format", "csv-fr"]);
        var settings = new Dictionary<string, string?> { ["Barometre:Privacy:Controller"] = "Métropole d'essai" };
        var configured = await Cli.RunAsync(["privacy", "register", .. Store.Options], clock: new FakeTimeProvider(Start), settings: settings);
        var workbook = await RunAsync(Start, "privacy", "register", "--format", "xlsx");

        Assert.Equal(ExitCodes.UsageError, invalid.ExitCode);
        Assert.Contains("--retention-months : La durée de conservation des données personnelles doit être comprise entre 1 et 120 mois, pas 0.", invalid.Error, StringComparison.Ordinal);
        Assert.Equal((0, "Données personnelles conservées 36 mois après la clôture de la campagne."), (changed.ExitCode, changed.Out.Trim()));
        Assert.Equal(0, register.ExitCode);
        var lines = register.Out.Split("\r\n");
        Assert.Equal("rubrique;contenu", lines[0]);
        Assert.Contains($"Durées de conservation;\"Baromètre RGPD (campagne n°\u00a0{id}) : 36 mois après la clôture de la campagne ; effacement prévu le 7 décembre 2029\"", lines);
        Assert.Contains("Date de mise à jour;7 décembre 2026", lines);
        Assert.Contains(configured.Out.Split('\n'), line => line.StartsWith("Responsable du traitement,Métropole d'essai ; à renseigner", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.UsageError, workbook.ExitCode);
        Assert.Contains("--format xlsx écrit un classeur : indiquez le fichier avec --out.", workbook.Error, StringComparison.Ordinal);
    }
}

public sealed class PrivacyCommandTest_Sqlite : PrivacyCommandTest
{
    protected override bool Postgres => false;
}

public sealed class PrivacyCommandTest_Postgres : PrivacyCommandTest
{
    protected override bool Postgres => true;
}
