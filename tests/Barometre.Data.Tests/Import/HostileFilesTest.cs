using System.Diagnostics;
using System.Globalization;
using System.Text;
using Barometre.Core.Model;
using Barometre.Data.Import;

namespace Barometre.Data.Tests.Import;

/// <summary>
/// The hostile-file corpus: what an attacker or a broken export can hand to each importer — models (YAML and JSON),
/// responses, panels — from empty files to alias bombs. Each file gets its clear, located French problem (the message
/// is asserted, not just the failure) within bounded time and memory: generous safety bounds, far above what a
/// healthy read takes and far below what the unbounded readers took (a stack overflow, 29 s and 1.9 Go, 887 Mo).
/// Big inputs are generated here, never committed. Cases over a few seconds carry the trait <c>Category=Slow</c>.
/// </summary>
public sealed class HostileFilesTest
{
    /// <summary>The longest a hostile file may take to be refused.</summary>
    /// <remarks>
    /// A guard against work that grows faster than the file (a quadratic reading of 400,000 rows takes hours), not a
    /// speed measurement (bench/ does those): the largest cases take about 5 s on a quiet 2-core machine and over 20 s
    /// while the other test projects run beside them, so the bound leaves room for a loaded machine.
    /// </remarks>
    private static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(60);

    /// <summary>The most a hostile file may make the reader allocate, in all (an upper bound of its peak).</summary>
    private const long MaxAllocatedBytes = 300L * 1024 * 1024;

    /// <summary>The longest message: a value is quoted in at most 100 characters, so none runs much longer.</summary>
    private const int MaxMessageLength = 400;

    /// <summary>Reads within the time and memory bounds, and checks that every problem can be printed as it is.</summary>
    private static ImportResult<T> Bounded<T>(Func<ImportResult<T>> read)
        where T : class
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var result = read();
        var elapsed = watch.Elapsed;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.True(elapsed < MaxDuration, $"read in {elapsed.TotalSeconds:0.0} s");
        Assert.True(allocated < MaxAllocatedBytes, $"{allocated / (1024 * 1024)} Mo allocated");
        Assert.All(result.Problems, problem =>
        {
            Assert.DoesNotContain(problem.Message, char.IsControl);
            Assert.InRange(problem.Message.Length, 1, MaxMessageLength);
        });
        Assert.InRange(result.Problems.Count, 0, ImportResult<T>.MaxReported);
        return result;
    }

    private static void AssertFirstProblem<T>(ImportResult<T> result, int? line, int? column, string message)
        where T : class
    {
        Assert.False(result.Succeeded);
        var problem = result.Problems[0];
        Assert.Equal((line, column), (problem.Line, problem.Column));
        if (message.EndsWith('…'))
        {
            Assert.StartsWith(message[..^1], problem.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(message, problem.Message);
        }
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] RandomBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    // ---- Responses and panels (wide CSV) ----

    public enum CsvImporter
    {
        Responses,
        Panel,
    }

    /// <summary>Questions a.q1, a.q2, b.q1 on the default 5-level scale.</summary>
    private static readonly MaturityModel Model = new(
        "mini",
        "Mini",
        null,
        [new Theme("a", "A", 1, [new Question("a.q1", "A1"), new Question("a.q2", "A2")]), new Theme("b", "B", 1, [new Question("b.q1", "B1")])],
        []);

    private static string Header(CsvImporter importer) => importer == CsvImporter.Responses ? "code,nom,a.q1,a.q2,b.q1" : "code,nom,type,region,email";

    private static string Row(CsvImporter importer, string code, string name) =>
        importer == CsvImporter.Responses ? $"{code},{name},0,1,2" : $"{code},{name},commune,Bretagne,{code}@exemple.fr";

    private static ImportResult<object> ReadCsv(CsvImporter importer, byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        if (importer == CsvImporter.Responses)
        {
            var responses = ResponsesCsv.Read(stream, "reponses.csv", Model);
            return responses.Value is { } value ? ImportResult.Success<object>(value) : ImportResult.Failure<object>(responses.Problems, responses.ProblemCount);
        }
        var panel = PanelCsv.Read(stream, "panel.csv");
        return panel.Value is { } entries ? ImportResult.Success<object>(entries) : ImportResult.Failure<object>(panel.Problems, panel.ProblemCount);
    }

    /// <summary>A hostile CSV: its bytes and the first problem expected (a message ending in « … » is a prefix).</summary>
    private static (byte[] Bytes, int? Line, int? Column, string Message) CsvCase(CsvImporter importer, string name)
    {
        var header = Header(importer);
        var overlong = "enregistrement de plus de 1\u202F048\u202F576 caractères à partir de cette ligne (un guillemet jamais refermé ?) : la lecture s'arrête là";
        var firstLineTooLong = "la première ligne dépasse 1\u202F048\u202F576 caractères : ce n'est pas la ligne des noms de colonnes d'un fichier CSV";
        return name switch
        {
            "vide" => ([], 1, null, "fichier vide : la première ligne doit nommer les colonnes (code, nom, puis une colonne par question)"),
            "bom-seul" => ([0xEF, 0xBB, 0xBF], 1, null, "fichier vide : la première ligne doit nommer les colonnes (code, nom, puis une colonne par question)"),
            "en-tete-seul" => (Utf8(header + "\n"), null, null, "aucune collectivité : le fichier n'a que sa ligne d'en-tête"),
            "octets-aleatoires" => (RandomBytes(2026, 1 << 20), 1, 1, "caractères non UTF-8 dans « …"),
            "tronque" => (Utf8($"{header}\n{Row(importer, "C1", "Alpha")}\nC2,\"Bêta, dite"), 3, null, "guillemet ouvert et jamais refermé : le champ « Bêta, dite » court jusqu'à la ligne 3"),
            "champ-enorme" => (Utf8($"{header}\n{Row(importer, "C1", "\"" + new string('x', 5 << 20) + "\"")}\n"), 2, null, overlong),
            "nom-de-colonne-de-50-mo" => (Utf8($"{header},{new string('x', 50 << 20)}\n{Row(importer, "C1", "Alpha")},\n"), 1, null, firstLineTooLong),
            "million-de-colonnes" => (Utf8(header + Repeat(",x", 1_000_000) + "\n"), 1, null, firstLineTooLong),
            "cent-mille-colonnes-sans-nom" => (Utf8(header + new string(',', 100_000) + $"\n{Row(importer, "C1", "Alpha")}\n"), 1, 6, "colonne sans nom"),
            "latin-1" => (Encoding.Latin1.GetBytes($"{header}\n{Row(importer, "C1", "Créteil")}\n"), 2, 2, "caractères non UTF-8 dans « Cr\uFFFDteil » : le fichier n'est pas encodé en UTF-8 ; enregistrez-le en « CSV UTF-8 » depuis votre tableur"),
            "utf-16-sans-bom" => (Encoding.Unicode.GetBytes($"{header}\n{Row(importer, "C1", "Créteil")}\n"), 1, 2, "caractère nul (U+0000) dans la première ligne : le fichier n'est pas du texte UTF-8 (UTF-16 sans BOM ?) ; enregistrez-le en « CSV UTF-8 » depuis votre tableur"),
            "nul" => (Utf8($"{header}\n{Row(importer, "C1", "Al\0pha")}\n"), 2, 2, "colonne nom : « AlU+0000pha » contient un caractère de contrôle (U+0000, position 3) : il tient sur une ligne, sans caractère de contrôle."),
            "echappements-terminal" => (Utf8($"{header}\n{Row(importer, "\u001b[2J\u001b[31mC1", "Alpha")}\n"), 2, 1, "colonne code : « U+001B[2JU+001B[31mC1 » contient un caractère de contrôle (U+001B, position 1) : il tient sur une ligne, sans caractère de contrôle."),
            "ligne-unique-enorme" => (Utf8(new string('x', 20 << 20)), 1, null, firstLineTooLong),
            "beaucoup-de-problemes" => (Utf8(header + "\n" + Repeat("C,\"N\u0000\",x,y,z\n", 400_000)), 2, 2, "colonne nom : « NU+0000 » contient un caractère de contrôle (U+0000, position 2) : il tient sur une ligne, sans caractère de contrôle."),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
    }

    [Theory]
    [InlineData(CsvImporter.Responses, "vide")]
    [InlineData(CsvImporter.Responses, "bom-seul")]
    [InlineData(CsvImporter.Responses, "en-tete-seul")]
    [InlineData(CsvImporter.Responses, "octets-aleatoires")]
    [InlineData(CsvImporter.Responses, "tronque")]
    [InlineData(CsvImporter.Responses, "latin-1")]
    [InlineData(CsvImporter.Responses, "utf-16-sans-bom")]
    [InlineData(CsvImporter.Responses, "nul")]
    [InlineData(CsvImporter.Responses, "echappements-terminal")]
    [InlineData(CsvImporter.Panel, "vide")]
    [InlineData(CsvImporter.Panel, "bom-seul")]
    [InlineData(CsvImporter.Panel, "en-tete-seul")]
    [InlineData(CsvImporter.Panel, "octets-aleatoires")]
    [InlineData(CsvImporter.Panel, "tronque")]
    [InlineData(CsvImporter.Panel, "latin-1")]
    [InlineData(CsvImporter.Panel, "utf-16-sans-bom")]
    [InlineData(CsvImporter.Panel, "nul")]
    [InlineData(CsvImporter.Panel, "echappements-terminal")]
    public void Csv_HostileFile_GetsItsLocatedProblemInBoundedTimeAndMemory(CsvImporter importer, string name)
    {
        var (bytes, line, column, message) = CsvCase(importer, name);

        var result = Bounded(() => ReadCsv(importer, bytes));

        AssertFirstProblem(result, line, column, message);
    }

    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(CsvImporter.Responses, "champ-enorme")]
    [InlineData(CsvImporter.Responses, "nom-de-colonne-de-50-mo")]
    [InlineData(CsvImporter.Responses, "million-de-colonnes")]
    [InlineData(CsvImporter.Responses, "ligne-unique-enorme")]
    [InlineData(CsvImporter.Panel, "champ-enorme")]
    [InlineData(CsvImporter.Panel, "nom-de-colonne-de-50-mo")]
    [InlineData(CsvImporter.Panel, "million-de-colonnes")]
    [InlineData(CsvImporter.Panel, "ligne-unique-enorme")]
    public void Csv_HugeHostileFile_StopsAtTheRecordLimit(CsvImporter importer, string name)
    {
        var (bytes, line, column, message) = CsvCase(importer, name);

        var result = Bounded(() => ReadCsv(importer, bytes));

        AssertFirstProblem(result, line, column, message);
        Assert.Equal(1, result.ProblemCount);
    }

    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(CsvImporter.Responses)]
    [InlineData(CsvImporter.Panel)]
    public void Csv_HundredThousandUnnamedColumns_KeepsTheFirstProblemsAndCountsThemAll(CsvImporter importer)
    {
        var (bytes, line, column, message) = CsvCase(importer, "cent-mille-colonnes-sans-nom");

        var result = Bounded(() => ReadCsv(importer, bytes));

        AssertFirstProblem(result, line, column, message);
        Assert.Equal(ImportResult<object>.MaxReported, result.Problems.Count);
        // Every unnamed column, and the row whose fields do not match the header.
        Assert.Equal(100_000 + 1, result.ProblemCount);
    }

    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(CsvImporter.Responses, 5)]
    [InlineData(CsvImporter.Panel, 3)]
    public void Csv_ManyProblems_KeepsTheFirstAndCountsThemAll(CsvImporter importer, int problemsPerRow)
    {
        var (bytes, line, column, message) = CsvCase(importer, "beaucoup-de-problemes");

        var result = Bounded(() => ReadCsv(importer, bytes));

        AssertFirstProblem(result, line, column, message);
        Assert.Equal(ImportResult<object>.MaxReported, result.Problems.Count);
        // Responses: the name and three bad cells, duplicated codes after the first row; panel: the name, the
        // address and the duplicated codes.
        Assert.Equal((problemsPerRow * 400_000) - 1, result.ProblemCount);
    }

    [Theory]
    [InlineData(CsvImporter.Responses)]
    [InlineData(CsvImporter.Panel)]
    public void Csv_Utf16WithByteOrderMark_IsReadNotGarbled(CsvImporter importer)
    {
        var text = $"{Header(importer)}\n{Row(importer, "C1", "Créteil")}\n";

        var result = Bounded(() => ReadCsv(importer, [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)]));

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        var name = result.Value is Core.Responses.ResponseSet responses ? responses.Respondents[0].Name : ((IReadOnlyList<PanelEntry>)result.Value!)[0].Respondent.Name;
        Assert.Equal("Créteil", name);
    }

    // ---- Models (YAML and JSON) ----

    private static ImportResult<MaturityModel> ReadModel(byte[] bytes)
    {
        // The upload's path; the CLI's (a file) shares it from ModelFile.ReadText on.
        var text = ModelFile.ReadText(new MemoryStream(bytes), "referentiel.yaml");
        return text.Value is { } model ? ModelFile.Read(model) : ImportResult.Failure<MaturityModel>(text.Problems, text.ProblemCount);
    }

    private static string Shipped2019 => ModelFile.ReadText("maturite-numerique-2019").GetValueOrThrow().Text;

    private const string Depth = "listes et tables imbriquées sur plus de 32 niveaux : un référentiel en a 7";

    private const string AliasesTooLarge = "plus de 100\u202F000 éléments une fois les alias (*nom) remplacés par ce que désignent leurs ancres : un référentiel en a quelques milliers";

    private const string TooManyNodes = "plus de 100\u202F000 éléments (textes, listes, tables) : un référentiel en a quelques milliers";

    private const string FileTooLarge = "le fichier dépasse 4\u202FMio : un référentiel en fait quelques dizaines de Ko (celui de 2019 : 35 Ko pour 37 questions)";

    /// <summary>A model whose theme is repeated <paramref name="repeats"/> times by an alias, each holding as many aliases of one question.</summary>
    private static string AliasBomb(int repeats) =>
        "id: bombe\nthemes:\n  - &t\n    id: t\n    title: T\n    questions:\n      - &q {id: t.q, label: Q}\n"
        + Repeat("      - *q\n", repeats) + Repeat("  - *t\n", repeats);

    /// <summary>Ten levels of anchors, each a list of ten aliases of the one before: 10¹⁰ texts.</summary>
    private static string BillionLaughs()
    {
        var text = new StringBuilder("id: rires\ndescription:\n  - &a0 [ha, ha, ha, ha, ha, ha, ha, ha, ha, ha]\n");
        for (var level = 1; level < 10; level++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - &a{level} [{string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 10))}]\n");
        }
        return text.ToString();
    }

    /// <summary>A hostile model: its bytes and the first problem expected (a message ending in « … » is a prefix).</summary>
    private static (byte[] Bytes, int? Line, int? Column, string Message) ModelCase(string name) => name switch
    {
        "vide" => ([], null, null, "le fichier doit contenir un seul document : une table avec les clés id, themes…"),
        "bom-seul" => ([0xEF, 0xBB, 0xBF], null, null, "le fichier doit contenir un seul document : une table avec les clés id, themes…"),
        "json-vide" => (Utf8("{}"), 1, 1, "référentiel : « id » manquant"),
        "octets-aleatoires" => (RandomBytes(2026, 1 << 20), 1, 1, "le fichier n'est pas encodé en UTF-8 : enregistrez-le en UTF-8 et déposez-le à nouveau"),
        "tronque" => (Utf8(Shipped2019[..(Shipped2019.Length / 2)]), 216, 11, "question administration.fonctions_support : « help » ne décrit pas le(s) niveau(x) 2, 3, 4"),
        "json-tronque" => (Utf8("{\"id\": \"x\", \"themes\": [{\"id\": \"t\", \"title\": \"T\", \"quest"), 1, 50, "syntaxe YAML invalide : While scanning a quoted scalar, found unexpected end of stream."),
        "champ-enorme" => (Utf8("id: x\ntitle: " + new string('x', 5 << 20) + "\n"), null, null, FileTooLarge),
        "json-champ-enorme" => (Utf8("{\"id\": \"x\", \"title\": \"" + new string('x', 5 << 20) + "\"}"), null, null, FileTooLarge),
        "million-de-colonnes" => (Utf8("id: x\nthemes: [" + Repeat("1,", 1_000_000) + "1]\n"), 2, 10 + (2 * 99_995), TooManyNodes),
        "json-million-de-colonnes" => (Utf8("{\"id\": \"x\", \"themes\": [" + Repeat("1,", 1_000_000) + "1]}"), 1, 24 + (2 * 99_995), TooManyNodes),
        "latin-1" => (Encoding.Latin1.GetBytes("id: x\ntitle: Référentiel\n"), 2, 9, "le fichier n'est pas encodé en UTF-8 : enregistrez-le en UTF-8 et déposez-le à nouveau"),
        "utf-16-sans-bom" => (Encoding.Unicode.GetBytes("id: x\ntitle: Référentiel\n"), 1, 2, "caractère nul (U+0000) : le fichier n'est pas du texte UTF-8 (UTF-16 sans BOM ?) ; enregistrez-le en UTF-8"),
        "nul" => (Utf8("id: x\ntitle: Titre\0\n"), 2, 13, "caractère nul (U+0000) : le fichier n'est pas du texte UTF-8 (UTF-16 sans BOM ?) ; enregistrez-le en UTF-8"),
        "echappement-dans-une-valeur" => (Utf8("id: \"x\\e[2J\"\nthemes: []\n"), 1, 5, "référentiel : « id » contient un caractère de contrôle (U+001B, position 2) : il tient sur une ligne, sans caractère de contrôle."),
        "imbrication-yaml" => (Utf8("id: x\ntitle: " + new string('[', 50_000) + new string(']', 50_000) + "\n"), 2, 8 + 31, Depth),
        "imbrication-blocs" => (Utf8("id: x\ntitle:\n" + string.Concat(Enumerable.Range(0, 1_000).Select(i => new string(' ', (2 * i) + 1) + "-\n")) + "1\n"), 2 + 32, 64, Depth),
        "imbrication-json" => (Utf8("{\"id\": \"x\", \"title\": " + Repeat("{\"a\": ", 50_000) + "1" + new string('}', 50_000) + "}"), 1, 22 + (31 * 6), Depth),
        "bombe-alias-39-ko" => (Utf8(AliasBomb(2_150)), 2_150 + 16, 5, AliasesTooLarge),
        "bombe-alias-130-ko" => (Utf8(AliasBomb(7_200)), 7_200 + 9, 5, AliasesTooLarge),
        "milliard-de-rires" => (Utf8(BillionLaughs()), 7, 45, AliasesTooLarge),
        "alias-recursif" => (Utf8("id: x\nthemes: &t [{id: t, title: T, questions: *t}]\n"), 2, 42, "alias « *t » à l'intérieur de son ancre : un référentiel n'est pas une structure récursive"),
        "ligne-unique-enorme" => (Utf8(new string('x', 5 << 20)), null, null, FileTooLarge),
        "beaucoup-de-problemes" => (Utf8("id: x\nthemes:\n  - id: t\n    title: T\n    questions: [{id: t.q, label: Q}]\n" + string.Concat(Enumerable.Range(0, 30_000).Select(k => $"k{k}: 1\n"))), 6, 1, "référentiel : clé inconnue « k0 » (clés permises : id, title, edition, description, scale, themes, indicators, follows)"),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [InlineData("vide")]
    [InlineData("bom-seul")]
    [InlineData("json-vide")]
    [InlineData("octets-aleatoires")]
    [InlineData("tronque")]
    [InlineData("json-tronque")]
    [InlineData("champ-enorme")]
    [InlineData("json-champ-enorme")]
    [InlineData("million-de-colonnes")]
    [InlineData("json-million-de-colonnes")]
    [InlineData("latin-1")]
    [InlineData("utf-16-sans-bom")]
    [InlineData("nul")]
    [InlineData("echappement-dans-une-valeur")]
    [InlineData("imbrication-yaml")]
    [InlineData("imbrication-blocs")]
    [InlineData("imbrication-json")]
    [InlineData("bombe-alias-39-ko")]
    [InlineData("bombe-alias-130-ko")]
    [InlineData("milliard-de-rires")]
    [InlineData("alias-recursif")]
    [InlineData("ligne-unique-enorme")]
    public void Model_HostileFile_GetsItsLocatedProblemInBoundedTimeAndMemory(string name)
    {
        var (bytes, line, column, message) = ModelCase(name);

        var result = Bounded(() => ReadModel(bytes));

        AssertFirstProblem(result, line, column, message);
    }

    [Fact]
    public void Model_ManyProblems_KeepsTheFirstAndCountsThemAll()
    {
        var (bytes, line, column, message) = ModelCase("beaucoup-de-problemes");

        var result = Bounded(() => ReadModel(bytes));

        AssertFirstProblem(result, line, column, message);
        Assert.Equal(ImportResult<MaturityModel>.MaxReported, result.Problems.Count);
        Assert.Equal(30_000, result.ProblemCount);
    }

    [Theory]
    [InlineData(": [\na", 1, 3)]
    [InlineData("?\n[\n\\", 1, 1)]
    [InlineData("!!a[ :a%:@{1\n{] &a1'>c[\n&],]", 1, 5)]
    public void Model_TextThatYamlDotNetFailsWithoutAYamlException_IsASyntaxProblem(string text, int? line, int? column)
    {
        var result = Bounded(() => ReadModel(Utf8(text)));

        AssertFirstProblem(result, line, column, "syntaxe YAML invalide : …");
    }

    [Fact]
    public void Model_RandomYamlText_IsReadOrRefusedWithoutException()
    {
        // Seeded texts over YAML's punctuation, anchors and aliases included: whatever the parser meets, it
        // ends in a model or in problems, never in an exception (which the CLI reports as an internal error).
        const string Alphabet = "[]{}:,-?&*!|>'\"#%@` \n\n  abc01.\t\\";
        var random = new Random(12);
        for (var i = 0; i < 2_000; i++)
        {
            var text = new StringBuilder(random.Next(1, 400));
            for (var c = 0; c < text.Capacity; c++)
            {
                text.Append(Alphabet[random.Next(Alphabet.Length)]);
            }

            var result = Bounded(() => ReadModel(Utf8(text.ToString())));

            Assert.True(result.Succeeded || result.Problems.Count > 0, text.ToString());
        }
    }

    [Fact]
    public void Model_MutatedModel_IsReadOrRefusedWithoutException()
    {
        // Seeded mutations of a valid model (lines dropped, repeated, swapped, re-indented; characters replaced):
        // texts that parse, and reach the model's own checks with every kind of shape.
        const string Model = """
            id: mutant
            title: Référentiel muté
            scale:
              - {level: 0, label: Rien}
              - {level: 1, label: Un peu}
              - {level: 2, label: Tout}
            themes:
              - id: a
                title: A
                weight: 2
                questions:
                  - id: a.q1
                    label: Q1
                    help: [Rien, Un peu, Tout]
                  - id: a.q2
                    label: Q2
                    help: {0: Rien, 1: Un peu, 2: Tout}
              - id: b
                title: B
                questions: [{id: b.q1, label: B1}]
            indicators:
              - {id: i, question: a.q1, predicate: ">= 1", statement: "{value} des collectivités"}
            """;
        const string Characters = "[]{}:,-&*'\" 0123abq.";
        var random = new Random(7);
        for (var i = 0; i < 3_000; i++)
        {
            var lines = Model.Split('\n').ToList();
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                var at = random.Next(lines.Count);
                switch (random.Next(5))
                {
                    case 0:
                        lines.RemoveAt(at);
                        break;
                    case 1:
                        lines.Insert(at, lines[random.Next(lines.Count)]);
                        break;
                    case 2:
                        (lines[at], lines[^1]) = (lines[^1], lines[at]);
                        break;
                    case 3:
                        lines[at] = new string(' ', random.Next(8)) + lines[at].TrimStart();
                        break;
                    default:
                        var line = lines[at].ToCharArray();
                        if (line.Length > 0)
                        {
                            line[random.Next(line.Length)] = Characters[random.Next(Characters.Length)];
                        }
                        lines[at] = new string(line);
                        break;
                }
                if (lines.Count == 0)
                {
                    lines.Add("");
                }
            }
            var text = string.Join('\n', lines);

            var result = Bounded(() => ReadModel(Utf8(text)));

            Assert.True(result.Succeeded || result.Problems.Count > 0, text);
        }
    }
}
