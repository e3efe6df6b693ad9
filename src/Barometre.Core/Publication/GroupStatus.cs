namespace Barometre.Core.Publication;

/// <summary>What may be shown of one figure for one node of the lattice.</summary>
internal enum GroupStatus : byte
{
    /// <summary>Nobody: nothing to show, nothing secret.</summary>
    Empty,

    /// <summary>May be shown.</summary>
    Published,

    /// <summary>Must be hidden.</summary>
    Suppressed,

    /// <summary>A virtual node (it fixes « non renseigné »): never offered.</summary>
    NotOffered,
}
