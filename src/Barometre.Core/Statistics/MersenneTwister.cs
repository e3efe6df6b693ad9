namespace Barometre.Core.Statistics;

/// <summary>
/// MT19937 with numpy's legacy <c>RandomState(seed)</c> draws: the generator scikit-learn's
/// <c>random_state=seed</c> seeds, so that k-means seeding here picks the points scikit-learn picks.
/// </summary>
internal sealed class MersenneTwister
{
    private const int StateLength = 624, Shift = 397;
    private readonly uint[] _state = new uint[StateLength];
    private int _position;

    /// <summary>Seeds as <c>numpy.random.RandomState(seed)</c> (Knuth's initialisation of MT19937).</summary>
    public MersenneTwister(uint seed)
    {
        _state[0] = seed;
        for (var i = 1; i < StateLength; i++)
        {
            _state[i] = (1812433253u * (_state[i - 1] ^ (_state[i - 1] >> 30))) + (uint)i;
        }
        _position = StateLength;
    }

    /// <summary>The next 32 bits (tempered MT19937 output).</summary>
    public uint NextUInt32()
    {
        if (_position >= StateLength)
        {
            Regenerate();
        }
        var y = _state[_position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        return y ^ (y >> 18);
    }

    /// <summary><c>RandomState.random_sample()</c> / <c>uniform()</c>: 53 bits from two draws.</summary>
    public double NextDouble()
    {
        var a = NextUInt32() >> 5;
        var b = NextUInt32() >> 6;
        return ((a * 67108864.0) + b) / 9007199254740992.0;
    }

    /// <summary><c>RandomState.randint(bound)</c>: masked rejection sampling on 32-bit draws.</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        var range = (uint)(bound - 1);
        if (range == 0)
        {
            return 0;
        }
        var mask = range;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        uint value;
        while ((value = NextUInt32() & mask) > range)
        {
        }
        return (int)value;
    }

    private void Regenerate()
    {
        for (var i = 0; i < StateLength; i++)
        {
            var y = (_state[i] & 0x80000000u) | (_state[(i + 1) % StateLength] & 0x7fffffffu);
            _state[i] = _state[(i + Shift) % StateLength] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908b0dfu : 0);
        }
        _position = 0;
    }
}
