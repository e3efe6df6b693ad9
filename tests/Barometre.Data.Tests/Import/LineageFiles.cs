namespace Barometre.Data.Tests.Import;

/// <summary>
/// Two editions for the tests of <c>follows:</c>. Earlier (« avant », 2019, five levels): strategie, education, rh,
/// achats, territoire. Later (« apres », 2021, six levels): strategie kept, numerique-educatif renamed, organisation
/// merging rh and achats, territoire dropped, inclusion new.
/// </summary>
internal static class LineageFiles
{
    /// <summary>The name problems give the later model.</summary>
    public const string LaterSource = "apres.yaml";

    public const string EarlierYaml = """
        id: avant
        edition: "2019"
        themes:
          - id: strategie
            title: Stratégie
            questions:
              - { id: strategie.levier, label: Levier }
          - id: education
            title: e-Éducation
            questions:
              - { id: education.strategie, label: Stratégie éducative }
          - id: rh
            title: RH
            questions:
              - { id: rh.formation, label: Formation }
          - id: achats
            title: Achats
            questions:
              - { id: achats.clauses, label: Clauses }
          - id: territoire
            title: Territoire serviciel
            questions:
              - { id: territoire.supervision, label: Supervision }
        indicators:
          - { id: levier, question: strategie.levier, predicate: ">= 3" }
          - { id: edu, question: education.strategie, predicate: ">= 2" }
          - { id: supervision, question: territoire.supervision, predicate: "<= 2" }
        """;

    /// <summary>The later model, the <c>follows:</c> block in place of FOLLOWS, from line 3.</summary>
    public const string LaterTemplate = """
        id: apres
        edition: "2021"
        FOLLOWS
        scale:
          - { level: 0, label: Rien }
          - { level: 1, label: Réflexion }
          - { level: 2, label: Orientations }
          - { level: 3, label: Engagée }
          - { level: 4, label: Avancée }
          - { level: 5, label: Complète }
        themes:
          - id: strategie
            title: Stratégie
            questions:
              - { id: strategie.levier, label: Levier }
          - id: numerique-educatif
            title: Numérique éducatif
            questions:
              - { id: numerique-educatif.strategie, label: Stratégie éducative }
          - id: organisation
            title: Organisation
            questions:
              - { id: organisation.formation, label: Formation }
              - { id: organisation.clauses, label: Clauses }
          - id: inclusion
            title: Inclusion numérique
            questions:
              - { id: inclusion.mediation, label: Médiation }
        indicators:
          - { id: levier, question: strategie.levier, predicate: ">= 3" }
          - { id: edu-strategie, question: numerique-educatif.strategie, predicate: ">= 2" }
          - { id: mediation, question: inclusion.mediation, predicate: "<= 2" }
        """;

    /// <summary>The later model's lineage: education renamed, rh and achats merged, a new level 4.</summary>
    public const string Follows = """
        follows:
          model: avant
          themes:
            numerique-educatif: education
            organisation: [rh, achats]
          questions:
            numerique-educatif.strategie: education.strategie
            organisation.formation: rh.formation
            organisation.clauses: achats.clauses
          indicators:
            edu-strategie: edu
          levels: {0: 0, 1: 1, 2: 2, 3: 3, 4: 5}
        """;

    /// <summary>The later model with <paramref name="follows"/> as its <c>follows:</c> block, from line 3.</summary>
    public static string Later(string follows) => LaterTemplate.Replace("FOLLOWS", follows, StringComparison.Ordinal);
}
