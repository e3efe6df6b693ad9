using System.Runtime.InteropServices;

namespace Barometre.Core.Publication;

/// <summary>
/// An array as a dictionary key: two keys are equal when their elements are. The array is not copied: it must not
/// change while it is a key.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal readonly struct ArrayKey<T>(T[] items) : IEquatable<ArrayKey<T>>
    where T : unmanaged, IEquatable<T>
{
    private readonly T[] _items = items;

    public bool Equals(ArrayKey<T> other) => _items.AsSpan().SequenceEqual(other._items);

    public override bool Equals(object? obj) => obj is ArrayKey<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(MemoryMarshal.AsBytes(_items.AsSpan()));
        return hash.ToHashCode();
    }
}
