using System.Numerics;

namespace Barometre.Core.Publication;

// Derivability: the span of the published groups, in which every « can an attacker compute it » is asked.
internal sealed partial class FamilySecrecy
{
    /// <summary>
    /// The span of the published groups of the family as it stands, projected on the cells that are not
    /// published on their own.
    /// </summary>
    private sealed class SpanContext
    {
        private readonly int[] _position;
        private readonly int _dimension;

        /// <param name="family">The family.</param>
        /// <param name="excludedSingleton">A published single-cell group to leave out (what-if), or −1.</param>
        /// <param name="tracked">Whether the basis keeps expressions (for <see cref="Choose"/>).</param>
        public SpanContext(FamilySecrecy family, int excludedSingleton, bool tracked = false)
        {
            _position = new int[family._cells];
            for (var cell = 0; cell < family._cells; cell++)
            {
                var singleton = family._singleton[cell];
                var known = family._status[singleton] == GroupStatus.Published && singleton != excludedSingleton;
                _position[cell] = known ? -1 : _dimension++;
            }
            Basis = new SpanBasis(_dimension, tracked);
            for (var set = 0; set < family._bits.Count; set++)
            {
                if (family._status[set] != GroupStatus.Published || set == excludedSingleton)
                {
                    continue;
                }
                var vector = Project(family._bits[set]);
                if (Array.Exists(vector, value => value != 0))
                {
                    Basis.Add(set, vector);
                }
            }
        }

        private SpanContext(SpanContext source, SpanBasis basis)
        {
            _position = source._position;
            _dimension = source._dimension;
            Basis = basis;
        }

        public SpanBasis Basis { get; }

        /// <summary>
        /// The span with one more published group, without recomputing the rest. Its cells stay in the projection
        /// even when it is a single cell (the span is the same; <see cref="IsKnown"/> just says less).
        /// </summary>
        public SpanContext With(int set, ulong[] bits)
        {
            var basis = Basis.Clone();
            basis.Add(set, Project(bits));
            return new SpanContext(this, basis);
        }

        public bool IsKnown(int cell) => _position[cell] < 0;

        public ulong[] Project(ulong[] bits)
        {
            var vector = new ulong[_dimension];
            for (var w = 0; w < bits.Length; w++)
            {
                // Visit the set bits only: groups are sparse over the cells of a large lattice.
                for (var word = bits[w]; word != 0; word &= word - 1)
                {
                    var position = _position[(w * 64) + BitOperations.TrailingZeroCount(word)];
                    if (position >= 0)
                    {
                        vector[position] = 1;
                    }
                }
            }
            return vector;
        }

        public bool Derivable(ulong[] bits) => Basis.Contains(Project(bits));
    }
}
