namespace Barometre.Core;

/// <summary>
/// The width of the registers a kernel computes with. Every path gives the same bits: the kernels fix a number of
/// logical lanes and an order of summation, which a path holds as one, two or four registers, or as scalars.
/// </summary>
public enum VectorPath
{
    /// <summary>No vector instructions: one value per instruction.</summary>
    Scalar = 0,

    /// <summary>128-bit vectors (SSE4 and AVX without AVX2 on x86, AdvSimd/NEON on ARM64).</summary>
    Vector128 = 128,

    /// <summary>256-bit vectors (AVX2 with FMA).</summary>
    Vector256 = 256,

    /// <summary>512-bit vectors (AVX-512).</summary>
    Vector512 = 512,
}
