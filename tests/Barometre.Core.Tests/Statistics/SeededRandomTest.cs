using Barometre.Core.Statistics;

namespace Barometre.Core.Tests.Statistics;

public sealed class SeededRandomTest
{
    // SeededRandom promises numpy's streams: new SeededRandom(s) draws what numpy.random.default_rng(s)
    // draws (PCG64 through a SeedSequence), ForStream(s, k) what default_rng(SeedSequence(s, spawn_key=(k,)))
    // draws; NextInt follows Generator.integers(0, bound) and NextDouble Generator.random().

    [Fact]
    public void NextUInt64_MatchesNumpyRandomRaw()
    {
        // python3 -c "import numpy as np; print(np.random.default_rng(0).bit_generator.random_raw(3).tolist())"
        var rng = new SeededRandom(0);
        Assert.Equal(11749869230777074271UL, rng.NextUInt64());
        Assert.Equal(4976686463289251617UL, rng.NextUInt64());
        Assert.Equal(755828109848996024UL, rng.NextUInt64());
    }

    [Fact]
    public void NextUInt64_LargeSeed_MatchesNumpy()
    {
        // A seed above 2³² is two 32-bit words of entropy.
        // python3 -c "import numpy as np; print(np.random.default_rng(2**40 + 5).bit_generator.random_raw(2).tolist())"
        var rng = new SeededRandom((1L << 40) + 5);
        Assert.Equal(87427594128977387UL, rng.NextUInt64());
        Assert.Equal(6872972437549564694UL, rng.NextUInt64());
    }

    [Fact]
    public void ForStream_MatchesNumpySpawnKey()
    {
        // python3 -c "import numpy as np; print(np.random.default_rng(np.random.SeedSequence(42, spawn_key=(3,))).bit_generator.random_raw(2).tolist())"
        var rng = SeededRandom.ForStream(42, 3);
        Assert.Equal(14092074099048316712UL, rng.NextUInt64());
        Assert.Equal(17917988523554539185UL, rng.NextUInt64());
    }

    [Fact]
    public void NextDouble_MatchesNumpyRandom()
    {
        // python3 -c "import numpy as np; print([repr(v) for v in np.random.default_rng(42).random(3)])"
        var rng = new SeededRandom(42);
        Assert.Equal(0.7739560485559633, rng.NextDouble());
        Assert.Equal(0.4388784397520523, rng.NextDouble());
        Assert.Equal(0.8585979199113825, rng.NextDouble());
    }

    [Fact]
    public void NextInt_MatchesNumpyIntegers()
    {
        // python3 -c "import numpy as np; print(np.random.default_rng(42).integers(0, 1000, size=6).tolist())"
        var rng = new SeededRandom(42);
        Assert.Equal([89, 773, 654, 438, 433, 858], Enumerable.Range(0, 6).Select(_ => rng.NextInt(1000)));
    }

    [Fact]
    public void NextInt_LargeBound_MatchesNumpyIntegers()
    {
        // python3 -c "import numpy as np; print(np.random.default_rng(2019).integers(0, 2**31 - 1, size=3).tolist())"
        var rng = new SeededRandom(2019);
        Assert.Equal([656688266, 310740109, 833519472], Enumerable.Range(0, 3).Select(_ => rng.NextInt(int.MaxValue)));
    }

    [Fact]
    public void NextUInt32_MatchesNumpyUInt32()
    {
        // python3 -c "import numpy as np; print(np.random.default_rng(5).integers(0, 2**32, dtype=np.uint32, size=4).tolist())"
        var rng = new SeededRandom(5);
        Assert.Equal([2881021352u, 3457461230u, 97294837u, 3470079269u], Enumerable.Range(0, 4).Select(_ => rng.NextUInt32()));
    }

    [Fact]
    public void MixedDraws_MatchNumpy()
    {
        // python3 -c "import numpy as np; g=np.random.default_rng(11); print(g.integers(0, 10), repr(g.random()), g.integers(0, 10), g.integers(0, 7, size=3).tolist())"
        // → 1 0.49927786244011496 1 [4, 4, 4]
        var rng = new SeededRandom(11);
        Assert.Equal(1, rng.NextInt(10));
        Assert.Equal(0.49927786244011496, rng.NextDouble());
        Assert.Equal(1, rng.NextInt(10));
        Assert.Equal([4, 4, 4], Enumerable.Range(0, 3).Select(_ => rng.NextInt(7)));
    }

    [Fact]
    public void Constructor_NegativeSeed_Throws()
    {
        // numpy refuses negative seeds too.
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeededRandom(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SeededRandom.ForStream(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SeededRandom.ForStream(1, -1));
    }

    [Fact]
    public void NextUInt64_SameSeed_SameSequence()
    {
        var a = new SeededRandom(987654321);
        var b = new SeededRandom(987654321);
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(a.NextUInt64(), b.NextUInt64());
        }
    }

    [Fact]
    public void ForStream_SameSeedAndStream_SameSequence()
    {
        var a = SeededRandom.ForStream(5, 17);
        var b = SeededRandom.ForStream(5, 17);
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(a.NextDouble(), b.NextDouble());
        }
    }

    [Fact]
    public void NextUInt64_DifferentSeeds_Differ()
    {
        Assert.NotEqual(Take(new SeededRandom(1), 8), Take(new SeededRandom(2), 8));
        Assert.NotEqual(Take(new SeededRandom(0), 8), Take(new SeededRandom(1L << 32), 8));
    }

    [Fact]
    public void ForStream_DifferentStreams_Differ()
    {
        var sequences = Enumerable.Range(0, 50).Select(s => Take(SeededRandom.ForStream(42, s), 4)).ToList();
        var firsts = sequences.Select(s => s[0]).ToHashSet();
        Assert.Equal(50, firsts.Count);
        Assert.NotEqual(Take(new SeededRandom(42), 4), Take(SeededRandom.ForStream(42, 0), 4));
        Assert.NotEqual(Take(SeededRandom.ForStream(1, 0), 4), Take(SeededRandom.ForStream(2, 0), 4));
    }

    [Fact]
    public void NextDouble_IsInUnitInterval()
    {
        var rng = new SeededRandom(31337);
        var sum = 0.0;
        const int draws = 100_000;
        for (var i = 0; i < draws; i++)
        {
            var u = rng.NextDouble();
            Assert.InRange(u, 0.0, Math.BitDecrement(1.0));
            sum += u;
        }
        // Mean of U(0, 1): 1/2, standard error √(1/12/100000) ≈ 0.00091; 0.005 is > 5 standard errors.
        Assert.InRange(sum / draws, 0.495, 0.505);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(1000)]
    [InlineData(int.MaxValue)]
    public void NextInt_StaysInRange(int bound)
    {
        var rng = new SeededRandom(bound);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.InRange(rng.NextInt(bound), 0, bound - 1);
        }
    }

    [Fact]
    public void NextInt_BoundOne_IsAlwaysZero()
    {
        var rng = new SeededRandom(3);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(0, rng.NextInt(1));
        }
    }

    [Theory]
    [InlineData(10)]
    [InlineData(7)]
    [InlineData(3)]
    public void NextInt_IsRoughlyUniform(int bound)
    {
        // Chi-square with bound − 1 degrees of freedom over 100 000 draws; 40 is beyond the 0.999
        // quantile for 9 df (27.88), so this only fails for a biased generator. The seed is fixed.
        var rng = new SeededRandom(20190101);
        const int draws = 100_000;
        var counts = new int[bound];
        for (var i = 0; i < draws; i++)
        {
            counts[rng.NextInt(bound)]++;
        }
        var expected = (double)draws / bound;
        var chiSquare = counts.Sum(c => (c - expected) * (c - expected) / expected);
        Assert.True(chiSquare < 40, $"chi-square {chiSquare}");
    }

    [Fact]
    public void NextInt_NonPositiveBound_Throws()
    {
        var rng = new SeededRandom(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextInt(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextInt(-3));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(2019)]
    public void NextOutput_OnPositionWords_MatchesNextUInt64(long seed)
    {
        var rng = new SeededRandom(seed);
        var position = rng.Position;
        ulong high = (ulong)(position.State >> 64), low = (ulong)position.State;
        ulong incrementHigh = (ulong)(position.Increment >> 64), incrementLow = (ulong)position.Increment;
        for (var i = 0; i < 100_000; i++)
        {
            Assert.Equal(rng.NextUInt64(), SeededRandom.NextOutput(ref high, ref low, incrementHigh, incrementLow));
        }
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(37UL)]
    [InlineData(1000UL)]
    [InlineData(65_537UL)]
    public void Advanced_IsThatManyOutputsLater(ulong steps)
    {
        var rng = new SeededRandom(42);
        var advanced = rng.Position.Advanced(steps);
        for (var i = 0UL; i < steps; i++)
        {
            rng.NextUInt64();
        }
        Assert.Equal(rng.Position, advanced);
    }

    [Fact]
    public void Advanced_ComposesLikeSteps()
    {
        // A long jump, checked against two shorter ones (stepping 2⁴⁰ times is out of reach).
        var origin = SeededRandom.ForStream(5, 3).Position;
        Assert.Equal(origin.Advanced(1UL << 40), origin.Advanced((1UL << 40) - 12_345).Advanced(12_345));
    }

    [Fact]
    public void Position_AfterA32BitDraw_Throws()
    {
        var rng = new SeededRandom(1);
        rng.NextUInt32();
        Assert.Throws<InvalidOperationException>(() => rng.Position);
        rng.NextUInt32();
        _ = rng.Position;
    }

    [Fact]
    public void MultiplyHighByHalves_IsTheHighWordOfTheProduct()
    {
        // The step's multiply on processors without BMI2 or ARM64 (DOTNET_EnableAVX2=0 takes it here): against UInt128.
        // 4865540595714422341 is the low word of PCG64's default multiplier 0x2360ED051FC65DA44385DF649FCCF645.
        const ulong MultiplierLow = 4865540595714422341UL;
        var rng = new SeededRandom(3);
        ulong[] values = [0, 1, uint.MaxValue, (ulong)uint.MaxValue + 1, ulong.MaxValue, ulong.MaxValue - 1, .. Take(rng, 1000)];
        foreach (var value in values)
        {
            Assert.Equal((ulong)(((UInt128)value * MultiplierLow) >> 64), SeededRandom.MultiplyHighByHalves(value));
        }
    }

    private static ulong[] Take(SeededRandom rng, int count)
    {
        var values = new ulong[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = rng.NextUInt64();
        }
        return values;
    }
}
